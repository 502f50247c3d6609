import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { serveStatic } from './static-server';

/** What spec/browser/page/index.html reports: each check's outcome, `ok`, or the `error`. */
export type LibraryCheckResult = Readonly<Record<string, unknown>>;

/** The outcome of the page's checks and what the browser's network layer saw meanwhile. */
export interface LibraryChecks {
  readonly result: LibraryCheckResult;
  /** URLs of requests the browser reports as aborted (`net::ERR_ABORTED`). */
  readonly aborted: readonly string[];
}

/**
 * Runs the library's own browser checks (spec/browser/page/index.html: publish through a sink,
 * read back with long polls and with /stream, in JSON and BSON, and unsubscribe from open
 * requests) in a new page of `browser`. The page loads hmb-rx as an application bundles it: the
 * package installed in `packageRoot`'s node_modules, resolved with the `browser` condition, with
 * rxjs, in one ES module.
 *
 * @param busUrl - the bus the page talks to (another origin: the bus must allow CORS).
 */
export async function runLibraryChecks(
  browser: Browser,
  packageRoot: string,
  busUrl: string,
): Promise<LibraryChecks> {
  const dir = mkdtempSync(join(tmpdir(), 'hmb-rx-browser-'));
  const web = await (async () => {
    await build({
      stdin: {
        contents: `export * from 'hmb-rx'; export { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';`,
        resolveDir: packageRoot,
        loader: 'js',
      },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      conditions: ['browser'],
      outfile: join(dir, 'lib.js'),
      logLevel: 'silent',
    });
    writeFileSync(join(dir, 'index.html'), readFileSync(join(__dirname, '../page/index.html')));
    return serveStatic(dir);
  })();
  const page = await browser.newPage();
  const aborted: string[] = [];
  page.on('requestfailed', (request) => {
    if (request.failure()?.errorText === 'net::ERR_ABORTED') aborted.push(request.url());
  });
  try {
    await page.goto(`${web.url}/?bus=${encodeURIComponent(busUrl)}`);
    await page.waitForFunction(() => window.hmbChecks !== undefined, null, { timeout: 60_000 });
    const result = await page.evaluate(() => window.hmbChecks ?? {});
    return { result, aborted };
  } finally {
    await page.close();
    await web.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

declare global {
  interface Window {
    /** Set by spec/browser/page/index.html when its checks are done. */
    hmbChecks?: LibraryCheckResult;
  }
}
