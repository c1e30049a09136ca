import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
/** What the processes a test starts beside Jest run: the apps as production starts them, their libraries, and the test's own outside systems. */
const SOURCES = ['apps/api/src', 'apps/worker/src', 'apps/cli/src', 'libs', 'test/support'];

/**
 * Where a run's JavaScript lives: inside node_modules, so that its `require('pg')` finds the
 * project's packages the usual way. The run's global teardown removes it.
 */
export function runBuildDirOf(runId: string): string {
  return join(ROOT, 'node_modules', '.cache', `run-build-${runId}`);
}

/**
 * Transpiles the engine once per run for the processes its tests start beside Jest: the API and
 * the worker of `observability`, the CLI commands of `preflight` and `case-log-chain`, the SMTP
 * server and receivers of `customer-notifications`, the migration of the run's template database.
 * Started from TypeScript through ts-node, each process loaded the compiler and transpiled the
 * same files again: 3–14 s of CPU apiece, and on a busy machine an API that had not listened after
 * 90 s (docs/benchmarks.md, round 17). TypeScript's `transpileModule` file by file, as ts-node's
 * transpile-only mode does (`npm run typecheck` checks the types), and a tsconfig.json beside the
 * output whose paths lead the `@app/…` imports to it (tsconfig-paths reads it at start).
 */
export function buildForRun(outDir: string): void {
  const { compilerOptions, paths } = transpileOptions();
  rmSync(outDir, { recursive: true, force: true });
  for (const folder of SOURCES) {
    for (const name of readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })) {
      const path = join(folder, name);
      if (path.endsWith('.spec.ts') || path.endsWith('.d.ts')) continue;
      if (path.endsWith('.ts')) {
        transpileInto(outDir, path, readFileSync(join(ROOT, path), 'utf8'), compilerOptions);
      } else if (path.endsWith('.json') || path.endsWith('.cjs')) {
        mkdirSync(dirname(join(outDir, path)), { recursive: true });
        copyFileSync(join(ROOT, path), join(outDir, path));
      }
    }
  }
  writeFileSync(join(outDir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { baseUrl: '.', paths } }));
}

/** The project's compiler options (tsconfig.json) for transpiling to CommonJS, and its `@app/…` paths. */
export function transpileOptions(): { compilerOptions: ts.CompilerOptions; paths: Record<string, string[]> } {
  const { config, error } = ts.readConfigFile(join(ROOT, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  if (error) throw new Error(`tsconfig.json: ${ts.flattenDiagnosticMessageText(error.messageText, '\n')}`);
  const json = (config as { compilerOptions: { paths: Record<string, string[]> } }).compilerOptions;
  // Only the compiler options: parseJsonConfigFileContent would also list every file the project includes.
  const { options, errors } = ts.convertCompilerOptionsFromJson(json, ROOT);
  if (errors.length) throw new Error(`tsconfig.json: ${errors.map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')).join('; ')}`);
  // Source maps inline, so a stack trace in a process's output points at the .ts line.
  return { compilerOptions: { ...options, module: ts.ModuleKind.CommonJS, sourceMap: false, inlineSourceMap: true, inlineSources: true }, paths: json.paths };
}

/** Writes `path`'s (relative to the repository) JavaScript to the same relative path under `outDir`; returns where. */
export function transpileInto(outDir: string, path: string, source: string, compilerOptions: ts.CompilerOptions): string {
  const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: path });
  const target = join(outDir, path).replace(/\.ts$/, '.js');
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, outputText);
  return target;
}

/**
 * How to run a TypeScript entry point of the repository (`apps/worker/src/main.ts`, …) from the
 * run's build: the arguments after `node`, and the environment that points tsconfig-paths at the
 * build's paths.
 */
export function nodeCommandFor(source: string): { args: string[]; env: Record<string, string> } {
  const build = process.env.TEST_RUN_BUILD;
  if (!build) throw new Error("processes started by integration tests run from the global setup's build (run them through jest --selectProjects integration)");
  return {
    args: ['-r', require.resolve('tsconfig-paths/register'), join(build, source.replace(/\.ts$/, '.js'))],
    env: { TS_NODE_PROJECT: join(build, 'tsconfig.json') },
  };
}
