/**
 * The placeholders a macro may use, filled on the server from the case and the agent: the same
 * values whichever client renders the reply.
 */
export const MACRO_PLACEHOLDERS = ['caseNumber', 'customerName', 'agentName', 'subject', 'transactionRef'] as const;
export type MacroPlaceholder = (typeof MACRO_PLACEHOLDERS)[number];
export type MacroValues = Record<MacroPlaceholder, string>;

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** Names in `{…}` that are not placeholders: a typo would otherwise reach a customer verbatim. */
export function unknownPlaceholders(text: string): string[] {
  const names = [...text.matchAll(PLACEHOLDER)].map((match) => match[1]!);
  return [...new Set(names.filter((name) => !(MACRO_PLACEHOLDERS as readonly string[]).includes(name)))];
}

export function fillPlaceholders(text: string, values: MacroValues): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => ((MACRO_PLACEHOLDERS as readonly string[]).includes(name) ? values[name as MacroPlaceholder] : whole));
}

/** What customers are told to quote: the case id's first eight hex digits, upper case. */
export function caseNumberOf(caseId: string): string {
  return caseId.replace(/-/g, '').slice(0, 8).toUpperCase();
}
