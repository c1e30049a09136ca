import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

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
  },
});
