import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const PATCHED_LATE = /node_modules\/(pg|pg-pool|ioredis|bullmq|fastify|@nestjs\/core|@nestjs\/platform-fastify|@mikro-orm\/[a-z-]+)\//;

/** The packages (of those tracing must patch first) loaded by importing `entry` in a fresh Node process, as main.ts runs. */
function loadedBy(entry: string, env: Record<string, string>): string[] {
  const script = `
    require(${JSON.stringify(join(ROOT, entry))});
    const loaded = Object.keys(require.cache).filter((file) => ${PATCHED_LATE}.test(file));
    process.stdout.write(JSON.stringify([...new Set(loaded.map((file) => file.replace(/.*node_modules\\//, '').match(/^(@[^/]+\\/)?[^/]+/)[0]))]));
    process.exit(0);
  `;
  const output = execFileSync(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), '-r', 'tsconfig-paths/register', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  return JSON.parse(output) as string[];
}

/**
 * OpenTelemetry patches pg and ioredis as they load, so main.ts imports tracing.ts before anything
 * else. This holds only while tracing.ts itself, what it imports (the config and observability
 * libs) and the SDK load none of them.
 */
describe('the first import of main.ts (tracing.ts)', () => {
  it('loads nothing that tracing must patch first, with tracing on or off', () => {
    expect(loadedBy('apps/api/src/tracing.ts', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' })).toEqual([]);
    expect(loadedBy('apps/worker/src/tracing.ts', { OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toEqual([]);
  });
});
