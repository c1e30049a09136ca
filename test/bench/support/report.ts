import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { meets, type Benchmark, type BenchmarkReport, type ReportRow } from './benchmark';

/** The repository root, from dist/test/bench/support (compiled) — not the caller's cwd. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..', '..');
export const ARTIFACTS_DIR = join(REPO_ROOT, 'test-artifacts');

function formatValue(row: ReportRow): string {
  if (!Number.isFinite(row.value)) return 'n/a';
  const text = row.value.toFixed(row.digits ?? 1);
  return row.unit ? `${text} ${row.unit}` : text;
}

function formatTarget(row: ReportRow): string {
  if (!row.target) return '';
  const op = { '>=': '≥', '<=': '≤', '<': '<' }[row.target.op];
  return `${op} ${row.target.threshold}${row.unit ? ` ${row.unit}` : ''}`;
}

export function formatTable(benchmark: Benchmark, report: BenchmarkReport): string {
  const header = ['metric', 'value', 'target', 'verdict'];
  const lines = report.rows.map((row) => {
    const verdict = meets(row);
    return [row.metric, formatValue(row), formatTarget(row), verdict === undefined ? '' : verdict ? 'meets' : 'misses'];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const render = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 1 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  const notes = report.notes.map((note) => `  * ${note}`);
  return [`== ${benchmark.title} ==`, render(header), rule, ...lines.map(render), ...(notes.length ? ['', ...notes] : [])].join('\n');
}

export async function writeArtifact(benchmark: Benchmark, report: BenchmarkReport): Promise<string> {
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  const file = join(ARTIFACTS_DIR, `bench-${benchmark.name}.json`);
  const body = {
    benchmark: benchmark.name,
    title: benchmark.title,
    finishedAt: new Date().toISOString(),
    rows: report.rows.map((row) => ({ ...row, meets: meets(row) })),
    notes: report.notes,
    ...report.details,
  };
  await writeFile(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}
