// ESLint 9 flat config (`npm run lint`). Type-aware: every .ts/.tsx file is checked with the
// tsconfig that owns it (apps/admin/tsconfig.json for the admin UI, tsconfig.json for the server,
// the CLI and the tests), so rules such as no-floating-promises see the real types. Layout is
// Prettier's business (.prettierrc.json, `npm run format`); eslint-config-prettier switches off
// the rules that would disagree with it.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TESTS = ['test/**/*.ts', '**/*.spec.ts', '**/*.test.{ts,tsx}', 'libs/domain/src/testing/**/*.ts'];

export default defineConfig(
  { ignores: ['dist/', 'coverage/', 'test-artifacts/', 'var/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: {
          // The specs beside libs/*/src, which tsconfig.json's include does not reach, and the
          // in-memory file libs/lint-rules.spec.ts lints (it is never on disk).
          allowDefaultProject: ['libs/dependency-rules.spec.ts', 'libs/lint-rules.spec.ts', 'lint-probe.ts'],
        },
        tsconfigRootDir: import.meta.dirname,
      },
      globals: globals.node,
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // The two this config is for: a promise nobody awaits loses its error (and its ordering). In the
      // admin UI, `onClick={() => void send()}` hands React a handler whose async work shows its own failures.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // `_name` is the code base's way to say "deliberately unused" (rest siblings, callback arguments).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // `rows[0]!` is written on purpose: libs/domain also compiles under the admin's noUncheckedIndexedAccess.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // `async` without `await` is how the code meets Promise-returning contracts (migrations, Nest hooks, handlers).
      '@typescript-eslint/require-await': 'off',
      // Callbacks are typed with method signatures (`onAdded(): void`) and none relies on `this`: all false alarms.
      '@typescript-eslint/unbound-method': 'off',
      // Messages stringify caught errors and JSON fields of type unknown on purpose.
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  {
    // Tests read untyped HTTP and JSON bodies (supertest's `body` is any) and assert their shape.
    files: TESTS,
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // The wallet's JSON is read field by field through `Json = Record<string, any>` (see its comment there).
    files: ['libs/wallet/src/http-wallet.adapter.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/no-unsafe-argument': 'off' },
  },
  {
    files: ['apps/admin/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat.recommended],
    languageOptions: { globals: globals.browser },
  },
  // Plain JavaScript config files are in no tsconfig: linted without types, CommonJS allowed.
  { files: ['**/*.{js,mjs,cjs}'], extends: [tseslint.configs.disableTypeChecked] },
  { files: ['**/*.{js,cjs}'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  prettier,
);
