// Lint for the whole repository (`npm run lint`). It lives beside its own install because
// typescript-eslint parses with TypeScript's JavaScript API (TypeScript 6), which the project's
// TypeScript 7 compiler no longer ships.
//
// The layering, as rules: the engine never imports Electron, the shell, the CLI or the
// renderer; the renderer never imports the engine (it talks to it through the preload or
// HTTP); src/shared imports nothing of ours.
import { resolve } from 'node:path';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const root = resolve(import.meta.dirname, '../..');

/**
 * From `depth` folders below src/main/engine: a relative import that leaves the engine for
 * anything but src/shared (or the data files in resources/, such as the fixture library).
 */
const leavesEngine = (depth) => `^(\\.\\./){${depth}}(?!\\.\\./shared(/|$)|engine(/|$)|\\.\\./\\.\\./resources/)`;

// The engine, at each depth below src/main/engine: leaving it is allowed only into src/shared.
const engineLayers = [1, 2, 3, 4].map((depth) => ({
  files: [`src/main/engine/${'*/'.repeat(depth - 1)}*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: [{ name: 'electron', message: 'The engine runs under plain Node (CLI, serve); Electron belongs to the shell.' }],
        patterns: [
          { group: ['electron/*', 'electron-updater', 'react', 'react-dom', 'react/*'], message: 'The engine runs under plain Node, without Electron or React.' },
          {
            regex: leavesEngine(depth),
            message: 'The engine imports only itself and src/shared: not the shell, the CLI or the renderer.',
          },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  {
    basePath: root,
    ignores: ['out/**', 'dist/**', 'node_modules/**', '**/node_modules/**', 'test-results/**', 'playwright-report/**', 'bench/results/**', 'src/main/engine/db/migrations/**'],
  },
  { basePath: root, ...js.configs.recommended },
  ...tseslint.configs.recommended.map((config) => ({ basePath: root, ...config })),
  {
    basePath: root,
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
      // Receivers and header checks match control bytes on purpose.
      'no-control-regex': 'off',
      'preserve-caught-error': 'warn',
      'no-useless-assignment': 'warn',
    },
  },
  {
    basePath: root,
    // Functions the benchmarks hand to the browser to run there, and the page's own plain script.
    files: ['bench/ui.js', 'src/renderer/public/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    basePath: root,
    // Playwright fixtures that use no other fixture take `{}` as their first argument.
    files: ['test/e2e/**/*.ts'],
    rules: { 'no-empty-pattern': 'off' },
  },
  ...engineLayers.map((layer) => ({ basePath: root, ...layer })),
  {
    basePath: root,
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      // The rules of hooks are errors. The React Compiler's rules (refs, purity, setState in
      // effects) advise: this renderer is not compiled by it, and keeps the latest callback
      // in a ref during render on purpose (useKeydown).
      ...Object.fromEntries(Object.keys(reactHooks.configs.recommended.rules).map((rule) => [rule, 'warn'])),
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer is a sandboxed page: it reaches the engine through the preload or HTTP.' }],
          patterns: [{ regex: '(^|/)main(/|$)|(^|/)engine(/|$)', message: 'The renderer never imports the engine or the shell; the contract is in src/shared.' }],
        },
      ],
    },
  },
  {
    basePath: root,
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'src/shared is imported by every side; it depends on none of them.' }],
          patterns: [{ regex: '^\\.\\./', message: 'src/shared imports nothing of ours outside itself.' }],
        },
      ],
    },
  },
);
