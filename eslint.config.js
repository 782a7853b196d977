import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      // One program over the whole repo (sources, tests, examples), as the type check sees it.
      parserOptions: { project: './tsconfig.check.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // House style (shared/design/STYLE.md): named exports, explicit export lists.
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportAllDeclaration', message: 'List exports explicitly (no export *).' },
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports only.' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // A clock is no reason to load node:perf_hooks (~0.3 MiB): the packages' is core's
    // monotonicNowMs() (docs/benchmarks.md, "Issue 14 §3, one monotonic clock").
    files: ['packages/*/src/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', { name: 'performance', message: "Use monotonicNowMs() / processStartEpochMs() from '@agentkit/core' (the global loads node:perf_hooks)." }],
      'no-restricted-imports': ['error', { paths: [{ name: 'node:perf_hooks', message: "Use monotonicNowMs() from '@agentkit/core'." }, { name: 'perf_hooks', message: "Use monotonicNowMs() from '@agentkit/core'." }] }],
    },
  },
  {
    // Config files at the root are tooling, not library code.
    files: ['*.config.js', '*.config.mjs'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Tests use jest's async matchers and fakes with loose shapes.
    files: ['**/test/**/*.ts', 'test/**/*.ts', 'examples/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
);
