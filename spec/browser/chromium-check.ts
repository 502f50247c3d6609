/**
 * A by-hand check that the browser build works in a real browser: headless Chromium loads a page
 * from one origin that talks to an embedded bus on another (CORS on), publishes through a sink and
 * reads back with long polls and with /stream (fetch ReadableStream), in JSON and BSON.
 *
 * Not part of `npm test` (CI machines have no browser). To run it:
 *   apt-get install -y chromium
 *   npm i --no-save playwright-core
 *   npx tsx spec/browser/chromium-check.ts
 * It prints the page's results and exits non-zero if anything failed.
 */
import { build, type BuildOptions } from 'esbuild';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHmbServer } from '../../src/server/index';

interface Browser {
  newPage(): Promise<Page>;
  version(): string;
  close(): Promise<void>;
}
interface Page {
  goto(url: string): Promise<unknown>;
  waitForFunction(fn: () => boolean, arg: null, options: { timeout: number }): Promise<unknown>;
  evaluate<T>(fn: () => T): Promise<T>;
}

async function main(): Promise<void> {
  // playwright-core is not a dependency of hmb-rx: load it by name at run time.
  const moduleName = 'playwright-core';
  const { chromium } = (await import(moduleName)) as {
    chromium: { launch(options: { executablePath: string; args: string[] }): Promise<Browser> };
  };
  const dir = mkdtempSync(join(tmpdir(), 'hmb-rx-browser-'));
  const bundle: BuildOptions = {
    bundle: true,
    platform: 'browser',
    format: 'esm',
    conditions: ['browser'],
  };
  await build({ ...bundle, entryPoints: ['src/index.ts'], outfile: join(dir, 'hmb.js') });
  await build({
    ...bundle,
    entryPoints: ['node_modules/rxjs/dist/esm5/index.js'],
    outfile: join(dir, 'rxjs.js'),
  });
  writeFileSync(join(dir, 'index.html'), readFileSync(join(__dirname, 'page', 'index.html')));

  const bus = await startHmbServer({ port: 0, cors: true });
  const web = createServer((req, res) => {
    const name = (req.url ?? '/').split('?')[0]!.slice(1) || 'index.html';
    try {
      const body = readFileSync(join(dir, name));
      res
        .writeHead(200, { 'content-type': name.endsWith('.js') ? 'text/javascript' : 'text/html' })
        .end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  const port = (web.address() as { port: number }).port;
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM'] ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/?bus=${encodeURIComponent(`${bus.url}/web`)}`);
    await page.waitForFunction(
      () => (window as unknown as { __result?: unknown }).__result !== undefined,
      null,
      {
        timeout: 30_000,
      },
    );
    const result = await page.evaluate(
      () => (window as unknown as { __result: Record<string, unknown> }).__result,
    );
    console.log(`Chromium ${browser.version()}:`, JSON.stringify(result));
    if (result['ok'] !== true || Object.values(result).some((v) => v === false))
      process.exitCode = 1;
  } finally {
    await browser.close();
    web.close();
    await bus.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
