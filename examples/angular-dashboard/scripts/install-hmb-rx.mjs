// Installs hmb-rx into this example the way an application gets it from npm: built, packed into a
// tarball with `npm pack` (so only what package.json's "files" publishes is there), and installed
// from that tarball. `--no-save` keeps package.json and package-lock.json as committed: the
// tarball's hash changes with every build, and a locked integrity would break `npm ci`.
//
// The library is built into a staging directory, not into the repository's dist/: the repository's
// tests run the CLI from dist/ and may be running meanwhile. When dist/ is newer than the sources
// (CI builds before it tests), it is packed as it is instead of built again.
//
// Usage: node scripts/install-hmb-rx.mjs   (prints the tarball's path and size)
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import process from 'node:process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const example = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repo = resolve(example, '../..');
const staging = mkdtempSync(join(tmpdir(), 'hmb-rx-pack-'));
const newestMtimeMs = (path) => {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(
    stat.mtimeMs,
    ...readdirSync(path).map((name) => newestMtimeMs(join(path, name))),
  );
};
const distIsFresh = () =>
  existsSync(join(repo, 'dist/index.mjs')) &&
  existsSync(join(repo, 'dist/cli/main.cjs')) &&
  statSync(join(repo, 'dist/index.mjs')).mtimeMs >=
    Math.max(...['src', 'package.json', 'tsup.config.ts'].map((p) => newestMtimeMs(join(repo, p))));
const run = (command, args, cwd) =>
  execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

try {
  if (distIsFresh()) cpSync(join(repo, 'dist'), join(staging, 'dist'), { recursive: true });
  else run('npx', ['--no-install', 'tsup', '--out-dir', join(staging, 'dist')], repo);
  for (const name of ['package.json', 'README.md', 'docs'])
    cpSync(join(repo, name), join(staging, name), { recursive: true });
  // dist/ is built already: the package's prepack (a build from src/, which the staging directory
  // does not have) must not run here.
  run('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', staging], staging);
  const tarball = readdirSync(staging).find((name) => name.endsWith('.tgz'));
  if (tarball === undefined) throw new Error(`npm pack wrote no tarball into ${staging}`);
  const path = join(staging, tarball);
  run(
    'npm',
    ['install', '--no-save', '--prefer-offline', '--no-audit', '--no-fund', path],
    example,
  );
  process.stdout.write(`installed ${path} (${statSync(path).size} bytes)\n`);
} finally {
  // The tarball is installed (unpacked into node_modules): the staging directory can go.
  rmSync(staging, { recursive: true, force: true });
}
