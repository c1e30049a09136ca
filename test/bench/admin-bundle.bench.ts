import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startBenchApp } from './support/bench-app';

/**
 * Admin UI benchmarks (issue 5), standalone so that test/bench/run.ts can adopt them later:
 * - the built bundle's initial JS, gzipped (target < 500 KB): what a browser must fetch before the
 *   first page shows, i.e. the entry script plus every chunk it imports statically; lazy pages
 *   (case, intake, supervisor) load on first visit and are reported apart;
 * - the queue page's API call over 10,000 open cases seeded with SQL in a throwaway database
 *   (target < 100 ms): GET /v1/cases sorted by next deadline, first page and a deep cursor page.
 *
 * Run alone: `npm run build && node dist/test/bench/admin-bundle.bench.js`.
 */
export async function runAdminBundleBench(): Promise<{ name: string; lines: string[] }> {
  const lines = [...bundleLines()];
  if (process.env.BENCH_ADMIN_SKIP_QUEUE !== '1') lines.push(...(await queueLines()));
  return { name: 'admin-bundle', lines };
}

function projectRoot(): string {
  // Compiled to dist/test/bench or run from test/bench: walk up to the package.json.
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) || dir.endsWith(join('dist'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('admin bench: project root not found');
    dir = parent;
  }
  return dir;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const verdict = (ok: boolean) => (ok ? 'meets' : 'misses');

function bundleLines(): string[] {
  const root = projectRoot();
  const dist = join(root, 'dist', 'admin');
  if (!existsSync(join(dist, 'index.html'))) {
    execFileSync(
      process.execPath,
      [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(root, 'apps', 'admin', 'vite.config.mts'), '--logLevel', 'warn'],
      // The bundle users get, whatever NODE_ENV the caller has set (Vite lets a set NODE_ENV choose React's build).
      { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
    );
  }
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const fileOf = (url: string) => join(dist, url.replace(/^\/admin\//, ''));
  const entries = [...html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g), ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)].map((m) =>
    fileOf(m[1]!),
  );

  // Follow static imports (`import … from "./x.js"`, `import "./x.js"`), never dynamic `import(…)`.
  const initial = new Set<string>();
  const visit = (file: string) => {
    if (initial.has(file)) return;
    initial.add(file);
    const code = readFileSync(file, 'utf8');
    for (const match of code.matchAll(/(?:^|[;\n}])\s*import\s*(?:[^'"();]*?from\s*)?["'](\.\/[^"']+\.js)["']/g)) visit(resolve(dirname(file), match[1]!));
  };
  entries.forEach(visit);

  let raw = 0;
  let gzipped = 0;
  for (const file of initial) {
    const bytes = readFileSync(file);
    raw += bytes.length;
    gzipped += gzipSync(bytes).length;
  }
  return [`admin bundle: initial JS ${kb(gzipped)} gzipped (${kb(raw)} raw, ${initial.size} files); target < 500 KB gzipped: ${verdict(gzipped < 500 * 1024)}`];
}

async function queueLines(): Promise<string[]> {
  const total = Number(process.env.BENCH_ADMIN_QUEUE_CASES ?? 10_000);
  const rounds = Number(process.env.BENCH_ADMIN_QUEUE_ROUNDS ?? 40);
  const bench = await startBenchApp();
  try {
    const headers = { authorization: bench.authorization, accept: 'application/json' };
    const get = async (path: string) => {
      const response = await fetch(new URL(path, bench.baseUrl), { headers });
      if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as { items: unknown[]; nextCursor: string | null };
    };
    const post = await fetch(new URL('/v1/cases', bench.baseUrl), {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'dispute',
        channel: 'hotline',
        subject: 'seed',
        customer: { id: 'u_seed' },
        amount: { amountMinor: 1000, currency: 'CNY' },
        reason: 'not_received',
      }),
    });
    if (!post.ok) throw new Error(`seed case: ${post.status}`);
    const { id } = (await post.json()) as { id: string };

    // Copy the real row 10,000 times with varied queue columns, whatever columns the schema has now.
    const columns = (
      await bench.sql<{ column_name: string }>(
        // Generated columns (the report outcome) cannot be written: PostgreSQL computes them.
        `select column_name from information_schema.columns where table_name = 'cases' and table_schema = current_schema() and is_generated = 'NEVER' order by ordinal_position`,
      )
    ).map((row) => row.column_name);
    const overrides: Record<string, string> = {
      id: 'gen_random_uuid()',
      subject: `'Seeded case ' || n`,
      transaction_ref: `'TX-BENCH-' || n`,
      priority: `(array['low','normal','high','urgent'])[1 + n % 4]`,
      channel: `(array['hotline','chat','email','wechat','weibo','app'])[1 + n % 6]`,
      next_deadline_at: `case when n % 10 = 0 then null else now() + (n % 5000) * interval '1 minute' - interval '12 hours' end`,
      created_at: `now() - n * interval '1 second'`,
      assignee_id: `case when n % 3 = 0 then '${bench.agent.id}'::uuid else null end`,
    };
    const select = columns.map((column) => overrides[column] ?? `c.${column}`).join(', ');
    await bench.sql(`insert into cases (${columns.join(', ')}) select ${select} from cases c cross join generate_series(1, ${total - 1}) n where c.id = $1`, [id]);
    await bench.sql('analyze cases');
    const [{ n: seeded }] = (await bench.sql<{ n: string }>(`select count(*) as n from cases where status = 'active'`)) as [{ n: string }];

    const time = async (label: string, path: () => Promise<string>) => {
      const samples: number[] = [];
      for (let round = 0; round < rounds + 5; round += 1) {
        const url = await path();
        const start = performance.now();
        await get(url);
        if (round >= 5) samples.push(performance.now() - start); // the first rounds warm caches and JIT
      }
      samples.sort((a, b) => a - b);
      const p50 = samples[Math.floor(samples.length * 0.5)]!;
      const p95 = samples[Math.min(samples.length - 1, Math.floor(samples.length * 0.95))]!;
      return `queue API (${seeded} open cases) ${label}: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms; target < 100 ms: ${verdict(p95 < 100)}`;
    };
    const base = '/v1/cases?status=active&sort=nextDeadline&limit=50';
    let deep: string | null = null;
    const deepPath = async () => {
      if (!deep) {
        let cursor: string | null = null;
        for (let page = 0; page < 40; page += 1) cursor = (await get(`${base}${cursor ? `&cursor=${cursor}` : ''}`)).nextCursor;
        deep = `${base}&cursor=${cursor}`;
      }
      return deep;
    };
    return [
      await time('first page', async () => base),
      await time('page 41 (cursor)', deepPath),
      await time('unassigned, by priority', async () => `${base}&assigneeId=none&priority=high`),
      await time('my cases', async () => `${base}&assigneeId=me`),
      `queue API timings are loopback HTTP round trips against the production-configured API (server time plus well under 1 ms)`,
    ];
  } finally {
    await bench.close();
  }
}

if (require.main === module) {
  runAdminBundleBench().then(
    ({ name, lines }) => {
      console.log(`\n${name}\n${lines.map((line) => `  ${line}`).join('\n')}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
