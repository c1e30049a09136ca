import { z } from 'zod';
import { CASE_KINDS, CHANNELS, PRIORITIES, SECURITY_REPORTS } from '../cases/case-kind';
import { DomainError, DomainErrorCode } from '../errors';
import type { SlaPolicy } from './sla-policy';

const target = z
  .object({
    /** Fractions are allowed so that short demo and test policies can be written in seconds. */
    minutes: z
      .number()
      .positive()
      .max(366 * 24 * 60),
    mode: z.enum(['calendar', 'business']),
  })
  .strict();

const reminder = z.union([
  z.object({ kind: z.literal('fraction'), fraction: z.number().gt(0).lt(1) }).strict(),
  z.object({ kind: z.literal('before'), minutes: z.number().positive() }).strict(),
]);

const facets = z.object({
  kinds: z.array(z.enum(CASE_KINDS)).optional(),
  priorities: z.array(z.enum(PRIORITIES)).optional(),
  channels: z.array(z.enum(CHANNELS)).optional(),
  securityReports: z.array(z.enum(SECURITY_REPORTS)).optional(),
});

export const slaPolicyInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    position: z.number().int().min(0).max(1_000_000),
    match: facets.extend({ anyOf: z.array(facets.strict()).max(10).optional() }).strict(),
    calendarId: z.string().min(1).max(100),
    targets: z.object({ firstResponse: target, resolution: target, merchantResponse: target, customerReply: target }).partial().strict(),
    reminders: z.array(reminder).max(10),
    active: z.boolean().optional(),
  })
  .strict();

export type SlaPolicyInput = z.infer<typeof slaPolicyInputSchema>;

/** Parses an admin's policy; a bad one is a VALIDATION_FAILED listing every field. */
export function parseSlaPolicyInput(input: unknown): SlaPolicyInput & Pick<SlaPolicy, 'targets'> {
  const parsed = slaPolicyInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new DomainError(DomainErrorCode.ValidationFailed, 'The SLA policy is invalid.', {
      fields: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  return parsed.data;
}
