// JSON results in bench/results/<name>.json (git-ignored).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The directory results go to. */
export const RESULTS_DIR = join(__dirname, '..', 'results');

/** Writes one benchmark's results and says where. */
export function writeResults(name: string, data: unknown): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  console.log(`\nwritten: ${relative(process.cwd(), file)}`);
}
