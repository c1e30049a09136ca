// Two tiers: `unit` runs pure code (libs/domain and other *.spec.ts beside the code) with no
// services; `integration` runs test/e2e against the real PostgreSQL and Redis, one throwaway
// database per test file cloned from a migrated template (see test/support/global-setup.ts).
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

const moduleNameMapper = pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' });
// tsconfig's `isolatedModules` makes ts-jest transpile file by file (no type check: `npm run check` does that).
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  // intl-messageformat and its @formatjs parts, and content-disposition (of @fastify/static, the
  // admin UI's and the queue dashboard's files), ship only as ES modules, which Jest's CommonJS
  // runtime cannot load: they alone are compiled to CommonJS (Node itself loads them as they are).
  '^.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'es2022', isolatedModules: true } }],
};
// Wherever they are installed, nested in another package's node_modules too.
const transformIgnorePatterns = ['/node_modules/(?!(?:.*/node_modules/)?(?:intl-messageformat|@formatjs|content-disposition)/)'];

module.exports = {
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/libs', '<rootDir>/apps'],
      testMatch: ['**/*.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/apps/admin/'],
      moduleNameMapper,
      transform,
      transformIgnorePatterns,
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e-spec.ts'],
      moduleNameMapper,
      transform,
      transformIgnorePatterns,
      setupFilesAfterEnv: ['<rootDir>/test/support/one-query-at-a-time.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
