// @types/pg does not describe pg's own helpers; this is the one the pooled session uses (pg 8, lib/utils.js).
declare module 'pg/lib/utils' {
  /** A query parameter as pg sends it: its text (dates, arrays, JSON as pg formats them), a Buffer, or null. */
  export function prepareValue(value: unknown): string | Buffer | null;
}
