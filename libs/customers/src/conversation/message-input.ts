import { z } from 'zod';
import { DomainError, DomainErrorCode } from '@app/domain';
import type { MessageLocale, MessageParty } from '@app/db';

export const MESSAGE_LOCALES = ['zh-CN', 'en'] as const satisfies readonly MessageLocale[];
export const MESSAGE_PARTIES = ['customer', 'merchant'] as const satisfies readonly MessageParty[];
/** Long enough for a careful explanation, short enough for an SMS-sized push to link to it. */
export const MAX_MESSAGE_LENGTH = 5000;

const messageInputSchema = z
  .object({
    party: z.enum(MESSAGE_PARTIES),
    body: z
      .string()
      .transform((body) => body.trim())
      .pipe(z.string().min(1, 'must not be empty').max(MAX_MESSAGE_LENGTH, `at most ${MAX_MESSAGE_LENGTH} characters`)),
    locale: z.enum(MESSAGE_LOCALES).optional(),
    macroId: z.string().uuid().nullish(),
  })
  .strict();

export type MessageInput = z.infer<typeof messageInputSchema>;

/** Checks a message before anything is read or written: a bad one is a 400 with the fields named. */
export function parseMessageInput(input: unknown): MessageInput {
  const parsed = messageInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new DomainError(DomainErrorCode.ValidationFailed, 'The message is invalid.', {
      fields: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  return parsed.data;
}
