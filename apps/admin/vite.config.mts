import { cpSync, createReadStream, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The files pdf.js fetches at run time besides its worker (src/lib/pdf-render.ts): CMaps and the
 * standard fonts for fonts a PDF names without embedding them, and the JavaScript JPEG 2000
 * decoder it uses instead of WebAssembly. Built into assets/pdfjs-<version>/ (the version in the
 * name, as the assets' long cache needs) and served from node_modules by the dev server.
 */
function pdfjsResources(): Plugin {
  const root = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const folder = `assets/pdfjs-${version}`;
  const items = ['cmaps', 'standard_fonts', 'wasm/openjpeg_nowasm_fallback.js', 'wasm/LICENSE_OPENJPEG', 'wasm/LICENSE_PDFJS_OPENJPEG'];
  return {
    name: 'pdfjs-resources',
    writeBundle(options) {
      for (const item of items) cpSync(join(root, item), join(options.dir!, folder, item), { recursive: true });
    },
    configureServer(server) {
      server.middlewares.use(`/admin/${folder}/`, (request, response, next) => {
        const path = normalize(join(root, decodeURIComponent((request.url ?? '').split('?')[0]!)));
        const allowed = items.some((item) => path === join(root, item) || path.startsWith(join(root, item) + sep));
        if (!allowed || !statSync(path, { throwIfNoEntry: false })?.isFile()) return next();
        if (path.endsWith('.js')) response.setHeader('Content-Type', 'text/javascript');
        createReadStream(path).pipe(response);
      });
    },
  };
}

/**
 * The admin UI is served by the API at /admin (apps/api/src/admin-ui.ts), so assets are built for
 * that base into dist/admin beside the compiled API. `npm run dev:admin` proxies the API.
 */
export default defineConfig({
  root: here('.'),
  base: '/admin/',
  resolve: {
    // Only pure, dependency-free domain files (case kinds, channels) are shared with the UI.
    alias: { '@domain': here('../../libs/domain/src') },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'react' } },
  plugins: [pdfjsResources()],
  build: {
    outDir: here('../../dist/admin'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      onwarn(warning, warn) {
        // antd marks its modules "use client" for React Server Components; meaningless in an SPA bundle.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: { '/v1': 'http://127.0.0.1:3000' },
  },
  test: {
    environment: 'jsdom',
    setupFiles: [here('src/test/setup.ts')],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    testTimeout: 20_000,
    // The files of a worker share one module graph instead of importing React, antd and the pages
    // anew per file: 80 → 42 s for the suite on a two-core machine (docs/benchmarks.md, round 17).
    // What allows it: no test leaves state behind (a test that queries the API renders with a
    // QueryClient of its own, setup.ts unmounts after each test, and stubbed globals such as
    // `fetch` are restored before the next); runs with the files shuffled pass too.
    isolate: false,
    unstubGlobals: true,
  },
});
