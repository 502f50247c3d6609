// The library as its users run it: the package that `npm run build` makes (dist/), loaded at run
// time and typed by the sources it was built from. The sources themselves, run through tsx, are
// slower than the build: tsx's transform keeps every function's name by wrapping each one as it is
// created, a cost only the library's side of a comparison would pay (raw undici is plain
// JavaScript). On a one-message send that was several µs of a ~100 µs request.
//
// HMB_BENCH_SOURCE=src runs the sources instead (for profiles that map to src/ lines).
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as NodeEntry from '../../src/node';
import type * as ServerEntry from '../../src/server';

const root = join(__dirname, '..', '..');
const fromSource = process.env['HMB_BENCH_SOURCE'] === 'src';
const load = createRequire(__filename);

/** The newest modification time of the files under `dir`, in ms. */
function newestUnder(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function built<T>(entry: 'node' | 'server'): T {
  if (fromSource) return load(join(root, 'src', entry)) as T;
  const file = join(root, 'dist', `${entry}.cjs`);
  let builtAt: number;
  try {
    builtAt = statSync(file).mtimeMs;
  } catch {
    throw new Error(
      `${file} is missing: run \`npm run build\` first (benchmarks run the built package)`,
    );
  }
  if (newestUnder(join(root, 'src')) > builtAt) {
    throw new Error(
      `dist/ is older than src/: run \`npm run build\` first (benchmarks run the built package)`,
    );
  }
  return load(file) as T;
}

/** hmb-rx's Node entry point (`import … from 'hmb-rx'` in Node). */
export const library: typeof NodeEntry = built('node');

/**
 * hmb-rx's server entry point (`hmb-rx/server`), loaded on first use: only the bus process needs
 * it, and the benchmark's client process should hold the client's code alone, as an application's
 * does.
 */
export function serverEntry(): typeof ServerEntry {
  return built('server');
}
