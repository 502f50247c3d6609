import { build } from 'esbuild';

/**
 * The browser entry point must load without Node: bundling it for the browser (with the `browser`
 * export condition, as a browser bundler would) must succeed and pull in no Node built-in, no
 * undici and nothing of the server, CLI or testing helpers.
 */
describe('browser entry', () => {
  it('browser entry: bundles for the browser with no Node module, undici, server or CLI code', async () => {
    const result = await build({
      entryPoints: ['src/index.ts'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      conditions: ['browser'],
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((i) => i.includes('src/index.ts'))).toBe(true);
    const forbidden = inputs.filter((i) =>
      /node_modules\/undici|src\/(server|cli|testing)\/|transport\/undici|file-cursor-store|^node:/.test(
        i,
      ),
    );
    expect(forbidden).toEqual([]);
    // js-bson's browser build is the one chosen.
    expect(inputs.some((i) => /node_modules\/bson\/lib\/bson\.mjs$/.test(i))).toBe(true);
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/from ["']node:/);
    expect(code).not.toMatch(/require\(["'](fs|net|http|zlib)["']\)/);
  });
});
