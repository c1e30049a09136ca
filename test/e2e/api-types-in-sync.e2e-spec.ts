import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The generated API types (clients/merchant-api/src/schema.ts, the merchant client's, and
 * apps/admin/src/api/generated/schema.ts, the admin UI's) are committed; this fails when either
 * differ from what the API's current OpenAPI document gives, so a route or DTO change without
 * `npm run generate:api-types` is caught. It runs the same script with --check, which builds the
 * document without PostgreSQL or Redis (Nest's preview mode).
 */
describe('generated API types', () => {
  it('match the current OpenAPI document, for the merchant client and the admin UI', () => {
    const root = join(__dirname, '../..');
    const run = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', 'apps/cli/src/generate-api-types.ts', '--check'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 280_000,
    });
    expect({ status: run.status, stderr: run.stderr.trim() }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toContain('up to date');
  }, 300_000);
});
