import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import * as errors from '../../src/errors/index';

// The quick form of the installed-package bundle check: the error classes, minified as a browser
// bundle would minify them, must still say which error they are.
describe('error names in a minified bundle', () => {
  it('every HmbError subclass keeps its class name as `name`, and its code', async () => {
    const result = await build({
      entryPoints: [join(__dirname, '..', '..', 'src', 'errors', 'index.ts')],
      bundle: true,
      minify: true,
      platform: 'browser',
      format: 'iife',
      globalName: 'hmbErrors',
      write: false,
      logLevel: 'silent',
    });
    const sandbox: { hmbErrors?: Record<string, unknown> } = {};
    runInNewContext(result.outputFiles[0]?.text ?? '', sandbox);
    const minified = sandbox.hmbErrors ?? {};

    // Every subclass's constructor takes (message, …, options); ('boom', [], {}) suits them all.
    const make = (errorClass: unknown): errors.HmbError =>
      Reflect.construct(errorClass as new (...args: unknown[]) => errors.HmbError, [
        'boom',
        [],
        {},
      ]);
    const classes = Object.entries(errors).filter(
      ([, value]) => typeof value === 'function' && value.prototype instanceof errors.HmbError,
    );
    expect(classes.length).toBeGreaterThanOrEqual(17);
    for (const [key, original] of classes) {
      const minifiedClass = minified[key] as { readonly name: string };
      expect(minifiedClass.name).not.toBe(key);
      const error = make(minifiedClass);
      expect({ key, name: error.name, code: error.code }).toEqual({
        key,
        name: key,
        code: make(original).code,
      });
      expect(errors.isHmbError(error, error.code)).toBe(true);
      expect(String(error)).toMatch(new RegExp(`^${key}: (.+: )?boom$`));
    }
  });
});
