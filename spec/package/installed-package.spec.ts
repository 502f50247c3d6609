import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import {
  exec,
  installIntoConsumer,
  namesInApiReport,
  packPackage,
  ROOT,
  type PackedPackage,
} from './helpers/packed-package';

// hmb-rx as users get it: `npm pack`, the tarball installed into a fresh project, then compiled
// against, run, bundled for the browser and run from its bin. Slow steps (pack, install, four tsc
// runs, a bundle) happen once per file; the whole file stays well under two minutes once built.
jest.setTimeout(120_000);

const FIXTURES = join(__dirname, 'fixtures');
const MESSAGES = 200;

let work: string;
let consumer: string;
let packed: PackedPackage;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'hmb-rx-package-'));
  consumer = join(work, 'consumer');
  packed = await packPackage(work);
  await installIntoConsumer(consumer, packed.tarball);
}, 300_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

/** Writes a file in the consumer project, making its folder. */
function writeConsumerFile(path: string, text: string): string {
  const file = join(consumer, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
}

/** A file that imports every name an API report lists, so that tsc must resolve each one. */
function importEveryName(specifier: string, reportFile: string): string {
  const { values, types } = namesInApiReport(reportFile);
  return `import type {\n  ${[...values, ...types].join(',\n  ')},\n} from '${specifier}';\n`;
}

function node(args: readonly string[], cwd = consumer): Promise<string> {
  return exec(process.execPath, args, cwd, 60_000);
}

describe('the packed tarball', () => {
  it('holds the build (prepack ran or dist was fresh), the bin and the docs, and no sources or specs', () => {
    for (const file of [
      'dist/index.mjs',
      'dist/index.cjs',
      'dist/index.d.ts',
      'dist/index.d.mts',
      'dist/node.mjs',
      'dist/node.cjs',
      'dist/node.d.ts',
      'dist/node.d.mts',
      'dist/server.mjs',
      'dist/testing.cjs',
      'dist/cli/main.cjs',
      'README.md',
      'docs/api.md',
    ])
      expect(packed.files).toContain(file);
    expect(packed.files.filter((f) => /^(src|spec|bench|examples)\//.test(f))).toEqual([]);
  });

  it('resolves to the right types and formats for every entry under node10, node16 (ESM and CJS) and bundler (arethetypeswrong)', async () => {
    // attw exits non-zero when it finds a problem; its JSON report says which.
    const { stdout } = await new Promise<{ stdout: string }>((resolve) => {
      execFile(
        join(ROOT, 'node_modules', '.bin', 'attw'),
        [packed.tarball, '--format', 'json'],
        { cwd: work, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
        (_error, out) => resolve({ stdout: out }),
      );
    });
    const report = JSON.parse(stdout) as { readonly analysis: { readonly problems: unknown } };
    expect(report.analysis.problems).toEqual([]);
  });
});

describe('type-checking a consumer of the installed package (tsc --strict)', () => {
  const tsc = (): string => join(consumer, 'node_modules', 'typescript', 'bin', 'tsc');
  const strict = {
    strict: true,
    noEmit: true,
    skipLibCheck: false,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
  };

  /** Writes a tsc project in `dir` with the given consumer files and compiler options; runs tsc. */
  async function typeCheck(
    dir: string,
    files: Readonly<Record<string, string>>,
    compilerOptions: Readonly<Record<string, unknown>>,
    packageType?: 'module' | 'commonjs',
  ): Promise<void> {
    for (const [name, text] of Object.entries(files)) writeConsumerFile(join(dir, name), text);
    if (packageType !== undefined)
      writeConsumerFile(join(dir, 'package.json'), JSON.stringify({ type: packageType }));
    writeConsumerFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { ...strict, ...compilerOptions },
        files: Object.keys(files),
      }),
    );
    await node([tsc(), '-p', join(consumer, dir, 'tsconfig.json')]);
  }

  const nodeFiles = (): Record<string, string> => ({
    'consumer-node.ts': readFileSync(join(FIXTURES, 'consumer-node.ts'), 'utf8'),
    'every-name.ts':
      importEveryName('hmb-rx', 'hmb-rx-node.api.md') +
      importEveryName('hmb-rx/server', 'hmb-rx-server.api.md') +
      importEveryName('hmb-rx/testing', 'hmb-rx-testing.api.md'),
  });
  const nodeNext = { module: 'nodenext', moduleResolution: 'nodenext', types: ['node'] };

  it('type-checks every export and the Node options under nodenext as ESM', async () => {
    await typeCheck('tsc-esm', nodeFiles(), nodeNext, 'module');
  });

  it('type-checks every export and the Node options under nodenext as CommonJS', async () => {
    await typeCheck('tsc-cjs', nodeFiles(), nodeNext, 'commonjs');
  });

  it('type-checks every export and the Node options under bundler with the node condition', async () => {
    await typeCheck('tsc-bundler-node', nodeFiles(), {
      module: 'esnext',
      moduleResolution: 'bundler',
      customConditions: ['node'],
      types: ['node'],
    });
  });

  it('gives a browser build (bundler, no node condition) the browser declarations only', async () => {
    await typeCheck(
      'tsc-bundler-browser',
      {
        'consumer-browser.ts': readFileSync(join(FIXTURES, 'consumer-browser.ts'), 'utf8'),
        'every-name.ts': importEveryName('hmb-rx', 'hmb-rx.api.md'),
      },
      { module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom'], types: [] },
    );
  });
});

describe('running the installed package against an embedded bus it starts (hmb-rx/server)', () => {
  const body = (): string => readFileSync(join(FIXTURES, 'publish-and-count.js'), 'utf8');
  const { values } = namesInApiReport('hmb-rx-node.api.md');
  // HmbSink is in the report as a class but exported as a type only: HmbClient.sink() makes sinks.
  const runtimeValues = values.filter((name) => name !== 'HmbSink');

  it.each([
    [
      'ESM',
      'publish-and-count.mjs',
      'json',
      "import * as hmb from 'hmb-rx';\nimport { HmbClient } from 'hmb-rx';\n" +
        "import { startHmbServer } from 'hmb-rx/server';\nimport { lastValueFrom, toArray } from 'rxjs';\n",
    ],
    [
      'CommonJS',
      'publish-and-count.cjs',
      'bson',
      "const hmb = require('hmb-rx');\nconst { HmbClient } = hmb;\n" +
        "const { startHmbServer } = require('hmb-rx/server');\nconst { lastValueFrom, toArray } = require('rxjs');\n",
    ],
  ])(
    'as %s (%s): publishes N messages and reads each back once, in order',
    async (_, file, format, header) => {
      const script = writeConsumerFile(file, header + body());
      const result = JSON.parse(await node([script, String(MESSAGES), format])) as {
        summary: { sent: number; failed: number; unknown: number; refused: number };
        seqs: number[];
        counters: number[];
        exports: string[];
      };
      const expected = Array.from({ length: MESSAGES }, (_v, i) => i);
      expect(result.summary).toMatchObject({ sent: MESSAGES, failed: 0, unknown: 0, refused: 0 });
      expect(result.seqs).toEqual(expected);
      expect(result.counters).toEqual(expected);
      expect(result.exports).toEqual(runtimeValues);
    },
  );
});

describe('the browser entry, bundled with esbuild --minify --platform=browser', () => {
  it('keeps error names and codes, and isHmbError recognises errors across the bundle and the Node copy', async () => {
    const entry = writeConsumerFile(
      'browser/bundle-entry.mjs',
      readFileSync(join(FIXTURES, 'bundle-entry.mjs'), 'utf8'),
    );
    const outfile = join(consumer, 'browser', 'bundle.js');
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      platform: 'browser',
      conditions: ['browser'],
      format: 'iife',
      outfile,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((input) => input.includes('node_modules/hmb-rx/dist/index.mjs'))).toBe(true);
    expect(inputs.filter((input) => /undici|node:|dist\/node\./.test(input))).toEqual([]);

    copyFileSync(join(FIXTURES, 'check-bundle.cjs'), join(consumer, 'browser', 'check-bundle.cjs'));
    const report = JSON.parse(
      await node([join(consumer, 'browser', 'check-bundle.cjs'), outfile]),
    ) as {
      exports: string[];
      errors: {
        key: string;
        bundleClassName: string;
        bundleName: string;
        nodeName: string;
        bundleCode: string;
        nodeCode: string;
        nodeRecognisesBundle: boolean;
        bundleRecognisesNode: boolean;
        bundleRejectsPlainError: boolean;
      }[];
    };
    const browserValues = namesInApiReport('hmb-rx.api.md').values.filter((n) => n !== 'HmbSink');
    expect(report.exports).toEqual(browserValues);
    expect(report.errors.map((e) => e.key)).toEqual(
      browserValues.filter((name) => /^Hmb\w+Error$/.test(name)),
    );
    for (const error of report.errors) {
      // The minifier renamed the class, which is what made `this.constructor.name` useless.
      expect(error.bundleClassName).not.toBe(error.key);
      expect(error).toEqual({
        ...error,
        bundleName: error.key,
        nodeName: error.key,
        bundleCode: error.nodeCode,
        nodeRecognisesBundle: true,
        bundleRecognisesNode: true,
        bundleRejectsPlainError: true,
      });
      expect(error.nodeCode).toMatch(/^HMB_ERR_[A-Z_]+$/);
    }
  });
});

describe('the hmb bin of the installed package', () => {
  const bin = (): string => join(consumer, 'node_modules', '.bin', 'hmb');
  let serve: ChildProcess | undefined;

  afterEach(async () => {
    if (serve === undefined || serve.exitCode !== null) return;
    const exited = new Promise((resolve) => serve?.once('exit', resolve));
    serve.kill('SIGTERM');
    await exited;
  });

  it('prints its help', async () => {
    const help = await exec(bin(), ['--help'], consumer, 30_000);
    expect(help).toMatch(/Usage: hmb/);
    for (const command of ['tail', 'replay', 'send', 'info', 'serve'])
      expect(help).toContain(command);
  });

  it('serves a bus (hmb serve) and describes it (hmb info)', async () => {
    const child = spawn(bin(), ['serve', '--port', '0'], {
      cwd: consumer,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    serve = child;
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const found = /http:\/\/\S+/.exec(out);
        if (found) resolve(found[0]);
      });
      child.once('exit', (code) => reject(new Error(`hmb serve exited with ${code}: ${out}`)));
    });
    const info = await exec(bin(), ['info', `${url}/packed`], consumer, 30_000);
    expect(info).toMatch(/ANNOUNCEMENT/);
  });
});
