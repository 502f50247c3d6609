// What an application's browser bundle pulls in from hmb-rx: tiny entry files that use one part of
// the API, bundled by esbuild as a browser application would be (the package's `browser` export
// condition, ES modules, minified), then gzipped. Measured from the built package (dist/, so run
// `npm run build` first), resolved by its name through package.json "exports".
//
//   npm run bench -- browser-bundle
import { build, type Metafile } from 'esbuild';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeResults } from './lib/results';
import { int, printTable } from './lib/table';

const ROOT = join(__dirname, '..');

/** The entry files: what an application writes. */
const ENTRIES: readonly { readonly name: string; readonly code: string }[] = [
  {
    name: 'subscribe',
    code: `import { HmbClient } from 'hmb-rx';
new HmbClient('https://example.org/hmb/alerts')
  .subscribe({ queue: { SYSTEM_ALERT: { seq: -10 } } })
  .subscribe((m) => console.log(m.seq, m.data));`,
  },
  {
    name: 'subscribe + sink',
    code: `import { HmbClient } from 'hmb-rx';
const client = new HmbClient('https://example.org/hmb/alerts');
client.subscribe({ queue: { SYSTEM_ALERT: { seq: -10 } } }).subscribe((m) => console.log(m.seq, m.data));
const sink = client.sink();
sink.next({ type: 'ALERT', queue: 'SYSTEM_ALERT', data: { magnitude: 5 } });
sink.complete();`,
  },
  {
    name: 'the Angular example (events, cursor, share)',
    code: `import { HmbClient, LocalStorageCursorStore, shareSubscription } from 'hmb-rx';
const client = new HmbClient('https://example.org/hmb/alerts');
shareSubscription(
  client.events({ queue: { SYSTEM_ALERT: { seq: -50 } } }, {
    waitForQueues: true,
    cursor: { store: new LocalStorageCursorStore(), key: 'dashboard' },
  }),
).subscribe((e) => console.log(e.kind));`,
  },
];

interface Measured {
  readonly entry: string;
  readonly rxjs: 'external' | 'included';
  readonly minifiedBytes: number;
  readonly gzippedBytes: number;
  /** Minified bytes per package in the output (esbuild's bytesInOutput). */
  readonly byPackage: Readonly<Record<string, number>>;
}

function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (match !== null) return match[1]!;
  return input.startsWith('dist/') ? 'hmb-rx' : '(entry)';
}

function byPackage(metafile: Metafile): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const output of Object.values(metafile.outputs))
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      sizes[name] = (sizes[name] ?? 0) + bytesInOutput;
    }
  return sizes;
}

async function measure(entry: (typeof ENTRIES)[number], rxjs: Measured['rxjs']): Promise<Measured> {
  const result = await build({
    stdin: { contents: entry.code, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    conditions: ['browser'],
    minify: true,
    target: 'es2022',
    external: rxjs === 'external' ? ['rxjs'] : [],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  const forbidden = Object.keys(result.metafile.inputs).filter((input) =>
    /undici|^node:|dist\/(node|server|testing|cli)/.test(input),
  );
  if (forbidden.length > 0)
    throw new Error(`Node code in a browser bundle: ${forbidden.join(', ')}`);
  return {
    entry: entry.name,
    rxjs,
    minifiedBytes: code.byteLength,
    gzippedBytes: gzipSync(code, { level: 9 }).byteLength,
    byPackage: byPackage(result.metafile),
  };
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist/index.mjs'))) {
    console.error('browser-bundle measures the built package: run `npm run build` first');
    process.exit(2);
  }
  const results: Measured[] = [];
  for (const entry of ENTRIES)
    for (const rxjs of ['external', 'included'] as const) results.push(await measure(entry, rxjs));
  const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
  printTable(
    'Browser bundle of an application (esbuild, minified; gzip -9)',
    [
      { header: 'entry' },
      { header: 'rxjs' },
      { header: 'minified', align: 'right' },
      { header: 'gzipped', align: 'right' },
    ],
    results.map((r) => [r.entry, r.rxjs, kb(r.minifiedBytes), kb(r.gzippedBytes)]),
  );
  const packages = [...new Set(results.flatMap((r) => Object.keys(r.byPackage)))].sort(
    (a, b) => (results[1]!.byPackage[b] ?? 0) - (results[1]!.byPackage[a] ?? 0),
  );
  printTable(
    'Minified bytes per package (rxjs included)',
    [{ header: 'package' }, ...ENTRIES.map((e) => ({ header: e.name, align: 'right' as const }))],
    packages.map((p) => [
      p,
      ...ENTRIES.map((e) =>
        int(results.find((r) => r.entry === e.name && r.rxjs === 'included')!.byPackage[p]),
      ),
    ]),
  );
  writeResults('browser-bundle', results);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
