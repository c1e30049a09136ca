import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './error-body';

/** Deeper than any request of this API needs; deep enough that no client is cut short. */
export const MAX_JSON_DEPTH = 32;

/** C0 control characters a text field may never hold (tab, newline and carriage return may). */
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's whole job.
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** What a JSON text holds that the API refuses even though it parses (json-body.ts answers each with its status and code). */
export type UnsafeJson = 'json.too_deep' | 'json.control_character';

/**
 * One linear pass over a JSON body before it is parsed: refuses nesting deeper than
 * MAX_JSON_DEPTH (validation and ORM code recurse through it) and escaped control characters such
 * as \u0000 (PostgreSQL cannot store NUL in text, and none of them belongs in a name or message).
 * Raw control characters inside strings are already invalid JSON, so escapes are all there is to see.
 */
export function inspectJsonText(text: string): UnsafeJson | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c /* \ */) {
        if (text[i + 1] === 'u') {
          const code = Number.parseInt(text.slice(i + 2, i + 6), 16);
          if (Number.isFinite(code) && FORBIDDEN_CONTROL.test(String.fromCharCode(code))) {
            return 'json.control_character';
          }
        }
        i += 1; // the escaped character is never a quote or a bracket
      } else if (char === 0x22 /* " */) {
        inString = false;
      }
      continue;
    }
    if (char === 0x22) inString = true;
    else if (char === 0x7b /* { */ || char === 0x5b /* [ */) {
      depth += 1;
      if (depth > MAX_JSON_DEPTH) return 'json.too_deep';
    } else if (char === 0x7d || char === 0x5d) depth -= 1;
  }
  return null;
}

function hasControlCharacter(value: unknown): boolean {
  if (typeof value === 'string') return FORBIDDEN_CONTROL.test(value);
  if (Array.isArray(value)) return value.some(hasControlCharacter);
  if (value && typeof value === 'object') return Object.entries(value).some(([key, inner]) => FORBIDDEN_CONTROL.test(key) || hasControlCharacter(inner));
  return false;
}

/** Query strings get the same rule as bodies: `?q=%00` is a 400, not a database error. Sent and true when refused. */
export function refuseControlCharactersInQuery(request: FastifyRequest, reply: FastifyReply): boolean {
  if (!hasControlCharacter(request.query)) return false;
  sendError(request, reply, 400, { code: 'VALIDATION_FAILED', message: 'Query parameters must not contain control characters.' });
  return true;
}
