import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { transpileInto, transpileOptions } from './run-build';

const ROOT = join(__dirname, '..', '..');
const MAIN = join(ROOT, 'apps', 'wallet-sim', 'src', 'main.ts');

/**
 * Nearly every integration test file starts a wallet simulator (startTestApp does), some several.
 * Started from its TypeScript through ts-node, each start spent about 1.4 s of CPU loading the
 * compiler and transpiling the simulator; started from JavaScript it takes 0.2 s. So the global
 * setup transpiles it once per run (no type check: `npm run typecheck` does that) and every start
 * runs the result.
 *
 * The folder is inside node_modules so that the simulator's `require('pg')` finds the project's
 * packages the usual way; the run's global teardown removes it.
 */
export function walletSimBuildDirOf(runId: string): string {
  return join(ROOT, 'node_modules', '.cache', `wallet-sim-${runId}`);
}

/**
 * Transpiles the simulator's main.ts and every file it imports by relative path (two come from
 * libs/wallet: the signing scheme and the reference normalisation it shares with the engine) to
 * CommonJS under `outDir`, keeping their paths relative to the repository; returns main.js's path.
 */
export function buildWalletSim(outDir: string): string {
  const { compilerOptions } = transpileOptions();
  rmSync(outDir, { recursive: true, force: true });
  const pending = [MAIN];
  const done = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (done.has(file)) continue;
    done.add(file);
    const source = readFileSync(file, 'utf8');
    for (const { fileName: specifier } of ts.preProcessFile(source, true, true).importedFiles) {
      // The simulator stands alone (it is the wallet's stand-in, not part of the engine): the
      // engine's path aliases are not resolved here, and an import of one would fail at start.
      if (specifier.startsWith('@app/')) throw new Error(`${relative(ROOT, file)} imports ${specifier}: the wallet simulator imports files, not the engine's libraries`);
      if (specifier.startsWith('.')) pending.push(resolveTypeScript(join(dirname(file), specifier)));
    }
    transpileInto(outDir, relative(ROOT, file), source, compilerOptions);
  }
  return join(outDir, relative(ROOT, MAIN)).replace(/\.ts$/, '.js');
}

function resolveTypeScript(path: string): string {
  for (const candidate of [`${path}.ts`, join(path, 'index.ts')]) if (existsSync(candidate)) return candidate;
  throw new Error(`the wallet simulator imports ${relative(ROOT, path)}, which has no .ts file`);
}
