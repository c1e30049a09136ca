/**
 * A timestamp column read as a raw row: through MikroORM's connection (`execute`, SqlTransactions,
 * or a JSON column built in SQL) it arrives as text, since MikroORM installs its own type parsers;
 * from other pools as a Date.
 */
export type RawTimestamp = string | Date;

/** The one conversion for such reads. */
export function timestampOrNull(value: RawTimestamp | null): Date | null {
  return value === null ? null : new Date(value);
}
