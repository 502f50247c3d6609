import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The Angular example the browser suite builds and opens. */
export const DASHBOARD_DIR = resolve(__dirname, '../../../examples/angular-dashboard');
/** Where `ng build` puts the application (the `browser` folder of the application builder). */
export const DASHBOARD_DIST = join(DASHBOARD_DIR, 'dist/dashboard/browser');
/** esbuild's metafile of the application build (`ng build --stats-json`). */
export const DASHBOARD_STATS = join(DASHBOARD_DIR, 'dist/dashboard/stats.json');

// npm writes this after every install; older than package-lock.json means installed from another lock.
const INSTALLED_TREE = join(DASHBOARD_DIR, 'node_modules/.package-lock.json');

async function inExample(command: string, args: readonly string[]): Promise<void> {
  await run(command, [...args], {
    cwd: DASHBOARD_DIR,
    env: { ...process.env, NG_CLI_ANALYTICS: 'false', NO_COLOR: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
}

/**
 * Gets the example ready as a user would: its own dependencies from its lock file (`npm ci`,
 * skipped when node_modules was installed after the lock file last changed), hmb-rx built, packed and
 * installed from the tarball (scripts/install-hmb-rx.mjs), then `ng build`.
 */
export async function buildDashboard(): Promise<void> {
  const lockMtime = statSync(join(DASHBOARD_DIR, 'package-lock.json')).mtimeMs;
  if (!existsSync(INSTALLED_TREE) || statSync(INSTALLED_TREE).mtimeMs < lockMtime)
    await inExample('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund']);
  await inExample('node', ['scripts/install-hmb-rx.mjs']);
  await inExample('npx', ['--no-install', 'ng', 'build', '--stats-json']);
}
