import { z } from 'zod';
import { DomainError, DomainErrorCode, type FieldIssue } from '@app/domain';
import type { MacroTranslation, MessageLocale } from '@app/db';
import { MESSAGE_LOCALES } from '../conversation/message-input';
import { MACRO_PLACEHOLDERS, unknownPlaceholders } from './macro-template';

const translationSchema = z
  .object({
    title: z.string().trim().min(1, 'must not be empty').max(120),
    body: z.string().trim().min(1, 'must not be empty').max(5000),
  })
  .strict();

/** Every language the UI speaks, so a macro never leaves an agent without a reply in the customer's. */
const macroInputSchema = z.object({ translations: z.object({ 'zh-CN': translationSchema, en: translationSchema }).strict() }).strict();

export type MacroInput = { translations: Record<MessageLocale, MacroTranslation> };

export function parseMacroInput(input: unknown): MacroInput {
  const parsed = macroInputSchema.safeParse(input);
  const fields: FieldIssue[] = parsed.success ? [] : parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  if (parsed.success) {
    for (const locale of MESSAGE_LOCALES) {
      for (const part of ['title', 'body'] as const) {
        const unknown = unknownPlaceholders(parsed.data.translations[locale][part]);
        if (unknown.length) {
          fields.push({
            path: `translations.${locale}.${part}`,
            message: `unknown placeholder ${unknown.map((name) => `{${name}}`).join(', ')}; known: ${MACRO_PLACEHOLDERS.join(', ')}`,
          });
        }
      }
    }
  }
  if (!parsed.success || fields.length) throw new DomainError(DomainErrorCode.ValidationFailed, 'The macro is invalid.', { fields });
  return parsed.data;
}
