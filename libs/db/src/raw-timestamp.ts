/**
 * A timestamp column read as a raw row through MikroORM's connection (`execute`, or a JSON column
 * built in SQL) arrives as text, not as a Date: MikroORM installs its own type parsers. The one
 * conversion for such reads.
 */
export function timestampOrNull(value: string | Date | null): Date | null {
  return value === null ? null : new Date(value);
}
