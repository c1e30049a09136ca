/**
 * What every benchmark in test/bench provides. A benchmark measures and reports; it never fails
 * the run because the system is slow (a missed target is a "misses" line, not an exit code).
 * It does fail when it cannot measure at all (PostgreSQL down, pgbench missing, …).
 */
export interface Benchmark {
  /** Short id, also the artifact name: test-artifacts/bench-<name>.json. */
  name: string;
  title: string;
  run(): Promise<BenchmarkReport>;
}

export interface Target {
  op: '>=' | '<' | '<=';
  threshold: number;
}

export interface ReportRow {
  metric: string;
  value: number;
  unit: string;
  /** Decimals shown in the table (the JSON keeps full precision). */
  digits?: number;
  target?: Target;
}

export interface BenchmarkReport {
  rows: ReportRow[];
  /** Everything measured, written as JSON next to the table. */
  details: Record<string, unknown>;
  /** Caveats worth reading next to the numbers (noise, what differs between the two sides). */
  notes: string[];
}

export function meets(row: ReportRow): boolean | undefined {
  if (!row.target) return undefined;
  if (!Number.isFinite(row.value)) return false;
  if (row.target.op === '>=') return row.value >= row.target.threshold;
  return row.target.op === '<=' ? row.value <= row.target.threshold : row.value < row.target.threshold;
}
