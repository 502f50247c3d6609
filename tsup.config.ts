import { defineConfig } from 'tsup';

// Library entries: ESM + CJS + declarations. The browser entry (index) and the Node entry (node)
// are built separately so the browser one never pulls in undici or node:* modules.
export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      node: 'src/node.ts',
      server: 'src/server/index.ts',
      testing: 'src/testing/index.ts',
    },
    format: ['esm', 'cjs'],
    outExtension: ({ format }) => ({ js: format === 'esm' ? '.mjs' : '.cjs' }),
    dts: true,
    sourcemap: true,
    // `npm run build` empties dist/ first (prebuild): cleaning here would race with the CLI build.
    clean: false,
    target: 'es2022',
    treeshake: true,
    external: ['rxjs', 'undici', 'bson', 'ts-pattern', 're2js'],
  },
  {
    entry: { 'cli/main': 'src/cli/main.ts' },
    format: ['cjs'],
    outExtension: () => ({ js: '.cjs' }),
    sourcemap: true,
    clean: false,
    target: 'es2022',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
