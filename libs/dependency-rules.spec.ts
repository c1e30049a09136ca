import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The layering DESIGN.md fixes, checked on the source: dependencies point inwards (apps → libs →
 * libs/domain), libs/domain stays pure TypeScript, and nothing imports in a circle — neither one
 * lib another nor, inside a lib, one file another.
 */
const LIBS = resolve(__dirname);
const DOMAIN_MAY_IMPORT = ['xstate', 'zod'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    // Tests may use what they like (fixtures on disk, graph tools); the rules are about the product.
    return path.endsWith('.ts') && !path.endsWith('.spec.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/gm), ...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)].map((match) => match[1]!);
}

const libNames = readdirSync(LIBS).filter((name) => statSync(join(LIBS, name)).isDirectory());
const filesByLib = new Map(libNames.map((lib) => [lib, sourceFiles(join(LIBS, lib, 'src'))]));

/** Every cycle reachable in a directed graph, each as the path that closes it. */
function cyclesIn(graph: Map<string, Set<string>>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'visiting') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

function resolveRelative(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts')].find((candidate) => {
    try {
      return statSync(candidate).isFile();
    } catch {
      return false;
    }
  });
}

describe('dependency rules', () => {
  it('finds the libs and their sources (the rules below would pass vacuously otherwise)', () => {
    expect(libNames).toEqual(expect.arrayContaining(['domain', 'cases', 'sla', 'db']));
    expect(filesByLib.get('domain')!.length).toBeGreaterThan(10);
  });

  it('the circle finder finds a planted circle', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a', 'd'])],
      ['d', new Set<string>()],
    ]);
    expect(cyclesIn(graph)).toEqual([['a', 'b', 'c', 'a']]);
  });

  it('libs/domain imports nothing but xstate, zod and itself', () => {
    const outside = filesByLib.get('domain')!.flatMap((file) =>
      importsOf(file)
        .filter((specifier) => !specifier.startsWith('.') && !DOMAIN_MAY_IMPORT.includes(specifier))
        .map((specifier) => `${relative(LIBS, file)} imports ${specifier}`),
    );
    expect(outside).toEqual([]);
  });

  it('no lib imports an app', () => {
    const upwards = [...filesByLib.values()].flat().flatMap((file) =>
      importsOf(file)
        .filter((specifier) => specifier.includes('/apps/') || /^(\.\.\/)+apps\//.test(specifier) || specifier.startsWith('apps/'))
        .map((specifier) => `${relative(LIBS, file)} imports ${specifier}`),
    );
    expect(upwards).toEqual([]);
  });

  it('libs import each other without a circle', () => {
    const graph = new Map<string, Set<string>>();
    for (const [lib, files] of filesByLib) {
      // `@app/x` and any deep import `@app/x/…` both make x a dependency.
      const targets = files.flatMap((file) => importsOf(file).map((specifier) => /^@app\/([a-z-]+)(?:\/|$)/.exec(specifier)?.[1]));
      graph.set(lib, new Set(targets.filter((target): target is string => target !== undefined && target !== lib)));
    }
    expect(graph.get('cases')!.size).toBeGreaterThan(0);
    expect(cyclesIn(graph).map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('inside each lib, files import each other without a circle', () => {
    const graph = new Map<string, Set<string>>();
    for (const file of [...filesByLib.values()].flat()) {
      const targets = importsOf(file)
        .filter((specifier) => specifier.startsWith('.'))
        .map((specifier) => resolveRelative(file, specifier))
        .filter((target): target is string => target !== undefined);
      graph.set(file, new Set(targets));
    }
    expect(cyclesIn(graph).map((cycle) => cycle.map((file) => relative(LIBS, file)).join(' → '))).toEqual([]);
  });
});
