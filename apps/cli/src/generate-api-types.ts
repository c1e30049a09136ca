import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generatedApiTypes } from '../../api/src/api-types';
import { openApiDocumentOffline } from '../../api/src/openapi';

/**
 * `npm run generate:api-types` writes the TypeScript types generated from the API's OpenAPI
 * document (clients/merchant-api/src/schema.ts for the merchant client,
 * apps/admin/src/api/generated/schema.ts for the admin UI); with `--check` it writes nothing and fails when a
 * committed file differs from what the current document gives (CI runs that through a test).
 */
async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const root = join(__dirname, '../../..');
  const stale: string[] = [];
  for (const { file, contents } of await generatedApiTypes(await openApiDocumentOffline(), root)) {
    const path = join(root, file);
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      // Not generated yet.
    }
    if (current === contents) continue;
    stale.push(file);
    if (check) continue;
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, contents);
  }
  if (check && stale.length) {
    console.error(`generated API types are out of date: ${stale.join(', ')}; run npm run generate:api-types and commit the result`);
    process.exit(1);
  }
  console.log(check ? 'generated API types are up to date' : stale.length ? `wrote ${stale.join(', ')}` : 'nothing to change');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
