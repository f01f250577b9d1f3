// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// The layers of DESIGN.md: app → workers → core, cli → core. Imports only point down.
const up = (names) => names.map((n) => ({ group: [`**/${n}/**`, `**/${n}`], message: `layer rule: this layer may not import src/${n}` }));
const uiLibs = [
  { group: ['react', 'react/*', 'react-dom', 'react-dom/*'], message: 'src/core is platform-free: no React' },
  { group: ['zustand', 'zustand/*'], message: 'src/core is platform-free: no zustand' },
  { group: ['node:*', 'fs', 'path', 'os', 'url', 'worker_threads', 'sharp'], message: 'src/core is platform-free: Node-only code goes to src/cli' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'scratch/**', 'node_modules/**', 'bench-results/**', 'test-results/**', 'playwright-report/**', 'public/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [...uiLibs, ...up(['app', 'workers', 'cli'])] }],
      'no-restricted-globals': ['error', 'window', 'document', 'localStorage', 'indexedDB', 'navigator', 'process'],
    },
  },
  { files: ['src/workers/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: up(['app', 'cli']) }] } },
  { files: ['src/app/**/*.{ts,tsx}'], rules: { 'no-restricted-imports': ['error', { patterns: up(['cli']) }] } },
  { files: ['src/cli/**/*.ts'], rules: { 'no-restricted-imports': ['error', { patterns: up(['app', 'workers']) }] } },
);
