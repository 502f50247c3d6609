// ESLint flat config. Besides the usual TypeScript rules it keeps Node-only modules out of every
// file the browser entry point can reach: the browser build must load without `node:*` or undici.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeOnly = {
  patterns: [
    { group: ['node:*'], message: 'Browser-reachable code must not import Node built-ins.' },
    { group: ['undici', 'undici/*'], message: 'undici is for the Node entry point only.' },
    { group: ['**/server', '**/server/**'], message: 'The embedded server is Node only.' },
    { group: ['**/cli/**', '**/testing/**'], message: 'CLI and testing helpers are Node only.' },
    {
      group: ['**/transport/undici*', '**/node'],
      message: 'Node transport is for src/node.ts only.',
    },
    { group: ['**/cursor/file-*'], message: 'The file cursor store is Node only.' },
  ],
};
const nodeBuiltins = [
  'fs',
  'path',
  'http',
  'https',
  'net',
  'zlib',
  'os',
  'crypto',
  'stream',
  'tls',
  'child_process',
  'events',
  'url',
  'util',
  'buffer',
  'timers',
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'coverage/**',
      'node_modules/**',
      'bench/results/**',
      'api-reference/**',
      'examples/angular-dashboard/{dist,.angular,out-tsc}/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Everything the browser entry (src/index.ts) can reach.
    files: [
      'src/index.ts',
      'src/client/**/*.ts',
      'src/protocol/**/*.ts',
      'src/errors/**/*.ts',
      'src/session/**/*.ts',
      'src/operators/**/*.ts',
      'src/sink/**/*.ts',
      'src/transport/fetch-transport.ts',
      'src/transport/transport.ts',
      'src/cursor/cursor-store.ts',
      'src/cursor/memory-cursor-store.ts',
      'src/cursor/local-storage-cursor-store.ts',
    ],
    rules: {
      'no-restricted-imports': ['error', { paths: nodeBuiltins, ...nodeOnly }],
    },
  },
  {
    files: ['spec/**/*.ts', 'bench/**/*.ts', 'examples/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
