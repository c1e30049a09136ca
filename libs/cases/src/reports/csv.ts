/** A cell as the reports and the case export hand it over; null and undefined are empty. */
export type CsvCell = string | number | boolean | Date | null | undefined;

/** Excel reads a UTF-8 file as the local code page unless it starts with a byte order mark; with it, Chinese text opens as written. */
export const CSV_BOM = '\uFEFF';

/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return, which some of them
 * skip first) as a formula: such a text gets a leading apostrophe, so a customer's subject such as
 * `=HYPERLINK(…)` shows as text. Numbers are written as they are (a negative number is data).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let text = value instanceof Date ? value.toISOString() : value;
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (RFC 4180: CRLF line ends). */
export function csvLine(cells: readonly CsvCell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/**
 * A CSV document as chunks: the BOM and the header first, then the rows as they come, a batch
 * per chunk, so a caller can stream a million rows without holding them.
 */
export async function* csvChunks(
  header: readonly string[],
  batches: AsyncIterable<ReadonlyArray<readonly CsvCell[]>> | Iterable<ReadonlyArray<readonly CsvCell[]>>,
): AsyncGenerator<string> {
  yield CSV_BOM + csvLine(header);
  for await (const batch of batches) {
    if (batch.length) yield batch.map(csvLine).join('');
  }
}
