/**
 * The Angular example (examples/angular-dashboard) end to end in headless Chromium, against the
 * embedded bus: hmb-rx built, packed and installed from its tarball as an application gets it,
 * the app built with the Angular CLI and served statically, the bus on another origin with CORS
 * and persistence. Then the library's own browser checks run in the same browser.
 *
 * Needs Chromium (`apt-get install chromium`, or CHROMIUM=/path/to/chromium). Without it this
 * file says so in one line and passes, except in CI (CI set), where a missing browser fails.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import { SAMPLE_ALERTS } from '../../examples/sample-alerts';
import { startHmbServer } from '../../src/server/index';
import type { HmbServerHandle } from '../../src/server/start-hmb-server';
import { CHROMIUM_PATH, chromiumInstalled, launchChromium, runningInCi } from './support/chromium';
import {
  buildDashboard,
  DASHBOARD_DIR,
  DASHBOARD_DIST,
  DASHBOARD_STATS,
} from './support/dashboard-build';
import { runLibraryChecks } from './support/library-checks';
import { openPublisher, type Publisher } from './support/publisher';
import { serveStatic, type StaticServer } from './support/static-server';

const SUITE = 'Angular dashboard in headless Chromium';
/** Screenshots land here (git-ignored). */
const OUTPUT_DIR = resolve(__dirname, 'output');
const QUEUE = 'SYSTEM_ALERT';
/** How long an alert may take from its publish to its row on screen. */
const ROW_DEADLINE_MS = 1_000;

/** The i-th alert of the test (1-based): a sample alert under an id of its own. */
function alert(i: number): { eventId: string } & Record<string, unknown> {
  const sample = SAMPLE_ALERTS[(i - 1) % SAMPLE_ALERTS.length]!;
  return {
    ...sample,
    eventId: `e2e-${String(i).padStart(3, '0')}`,
    originTime: new Date(Date.UTC(2026, 11, 4, 6, 0) + i * 7 * 60_000).toISOString(),
  };
}

/** Ids of alerts `from` to `to`, newest first, as the dashboard lists them. */
function newestFirst(from: number, to: number): string[] {
  const ids: string[] = [];
  for (let i = to; i >= from; i--) ids.push(alert(i).eventId);
  return ids;
}

function rowIds(page: Page): Promise<string[]> {
  return page.$$eval('tr.alert', (rows) => rows.map((row) => row.getAttribute('data-event-id')!));
}

function badgeText(page: Page): Promise<string> {
  return page.$eval('[data-testid="connection"]', (badge) => badge.textContent?.trim() ?? '');
}

async function waitForBadge(page: Page, pattern: RegExp, timeout: number): Promise<void> {
  await page.waitForFunction(
    (source) =>
      new RegExp(source).test(
        document.querySelector('[data-testid="connection"]')?.textContent?.trim() ?? '',
      ),
    pattern.source,
    { timeout },
  );
}

async function waitForRowCount(page: Page, count: number, timeout: number): Promise<void> {
  await page.waitForFunction((n) => document.querySelectorAll('tr.alert').length >= n, count, {
    timeout,
  });
}

if (!chromiumInstalled()) {
  process.stderr.write(
    `browser suite not run: no Chromium at ${CHROMIUM_PATH} (to run it: apt-get install chromium, or set CHROMIUM=/path/to/chromium)\n`,
  );
  describe(SUITE, () => {
    it('is left out only outside CI: in CI (CI set) a missing browser is a failure', () => {
      if (runningInCi())
        throw new Error(
          `CI is set and there is no Chromium at ${CHROMIUM_PATH}: apt-get install chromium`,
        );
    });
  });
} else {
  describe(SUITE, () => {
    let persistDir: string;
    let bus: HmbServerHandle;
    let busPort: number;
    let busUrl: string;
    let web: StaticServer;
    let browser: Browser;
    let page: Page;
    let publisher: Publisher;
    /** /recv requests of the page that have neither finished nor failed. */
    const pendingPolls = new Set<Request>();

    const startBus = (port: number): Promise<HmbServerHandle> =>
      startHmbServer({ port, cors: true, persistDir, shutdownGraceMs: 2_000 });

    const publishAlert = async (i: number): Promise<void> => {
      await publisher.send([{ type: 'ALERT', queue: QUEUE, data: alert(i) }]);
    };

    beforeAll(async () => {
      mkdirSync(OUTPUT_DIR, { recursive: true });
      await buildDashboard();
      persistDir = mkdtempSync(join(tmpdir(), 'hmb-rx-dashboard-bus-'));
      bus = await startBus(0);
      busPort = bus.port;
      busUrl = `${bus.url}/alerts`;
      publisher = openPublisher(busUrl);
      web = await serveStatic(DASHBOARD_DIST);
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
      page.on('request', (request) => {
        if (request.url().includes('/alerts/recv/')) pendingPolls.add(request);
      });
      page.on('requestfinished', (request) => pendingPolls.delete(request));
      page.on('requestfailed', (request) => pendingPolls.delete(request));
    }, 600_000);

    afterAll(async () => {
      await browser?.close();
      await web?.close();
      await bus?.close();
      if (persistDir !== undefined) rmSync(persistDir, { recursive: true, force: true });
    });

    it('bundles hmb-rx from its packed tarball, browser build only: no Node module, server or CLI', () => {
      const stats = JSON.parse(readFileSync(DASHBOARD_STATS, 'utf8')) as {
        inputs: Record<string, unknown>;
      };
      const inputs = Object.keys(stats.inputs);
      expect(inputs).toContain('node_modules/hmb-rx/dist/index.mjs');
      expect(
        inputs.filter((i) => /undici|^node:|hmb-rx\/dist\/(node|server|testing|cli)/.test(i)),
      ).toEqual([]);
      expect(inputs.some((i) => i.startsWith('../') || i.includes('/src/client/'))).toBe(false);
    });

    it('1. shows 20 published alerts in order, newest on top, each within a second of its publish', async () => {
      await page.goto(`${web.url}/?bus=${encodeURIComponent(busUrl)}`);
      await waitForBadge(page, /^live$/, 15_000);
      const latencies: number[] = [];
      for (let i = 1; i <= 20; i++) {
        await publishAlert(i);
        // From the bus's acknowledgement (204) to the row on screen.
        const published = Date.now();
        await page.waitForSelector(`tr.alert[data-event-id="${alert(i).eventId}"]`, {
          timeout: ROW_DEADLINE_MS,
        });
        latencies.push(Date.now() - published);
      }
      expect(await rowIds(page)).toEqual(newestFirst(1, 20));
      expect(Math.max(...latencies)).toBeLessThan(ROW_DEADLINE_MS);
      // Four components and the badge, one HMB session for the alert queue.
      const status = (await (await fetch(`${busUrl}/status`)).json()) as {
        session: Record<string, { queue: Record<string, unknown> }>;
      };
      expect(Object.values(status.session).filter((s) => QUEUE in s.queue)).toHaveLength(1);
    }, 60_000);

    it('2. says "reconnecting" while the bus is down, then shows exactly 25 rows: none lost, none doubled', async () => {
      await bus.close();
      await waitForBadge(page, /reconnecting/, 15_000);
      await page.screenshot({ path: join(OUTPUT_DIR, 'angular-dashboard-reconnecting.png') });
      bus = await startBus(busPort);
      for (let i = 21; i <= 25; i++) await publishAlert(i);
      await waitForRowCount(page, 25, 45_000);
      await waitForBadge(page, /^live$/, 15_000);
      expect(await rowIds(page)).toEqual(newestFirst(1, 25));
    }, 120_000);

    it('3. after a reload shows the same 25 rows, then new ones, none twice', async () => {
      const before = await rowIds(page);
      // hmb-rx saves the position up to 250 ms after a row is stored, so a reload can find the
      // position behind the rows. Make that happen for sure: 5 messages behind (seq 20, alert 21).
      const cursorKey = `hmb-rx:cursor:dashboard:${busUrl}`;
      // First let the save of the last row (seq 24, next 25) land, or it would overwrite ours.
      await page.waitForFunction(
        ([key, queue]) =>
          (JSON.parse(localStorage.getItem(key) ?? '{}') as Record<string, number>)[queue] === 25,
        [cursorKey, QUEUE] as const,
        { timeout: 5_000 },
      );
      await page.evaluate(
        ([key, queue]) => {
          const positions = JSON.parse(localStorage.getItem(key)!) as Record<string, number>;
          localStorage.setItem(key, JSON.stringify({ ...positions, [queue]: 20 }));
        },
        [cursorKey, QUEUE] as const,
      );
      const opens: string[] = [];
      const onRequest = (request: Request): void => {
        if (request.url().endsWith('/alerts/open')) opens.push(request.postData() ?? '');
      };
      page.on('request', onRequest);
      await page.reload();
      await waitForRowCount(page, 25, 10_000);
      expect(await rowIds(page)).toEqual(before);
      await waitForBadge(page, /^live$/, 15_000);
      page.off('request', onRequest);
      // The resumed session asked for the 5 messages the page shows already…
      const resumedFrom = opens.map(
        (body) =>
          (JSON.parse(body) as { queue?: Record<string, { seq?: number }> }).queue?.[QUEUE]?.seq,
      );
      expect(resumedFrom).toContain(20);
      for (let i = 26; i <= 28; i++) {
        await publishAlert(i);
        await page.waitForSelector(`tr.alert[data-event-id="${alert(i).eventId}"]`, {
          timeout: ROW_DEADLINE_MS,
        });
      }
      // … and shows each of them once.
      await page.waitForTimeout(500);
      expect(await rowIds(page)).toEqual(newestFirst(1, 28));
      await page.screenshot({ path: join(OUTPUT_DIR, 'angular-dashboard.png') });
    }, 60_000);

    it('4. Angular becomes stable while a long poll is pending', async () => {
      await page.waitForFunction(() => window.hmbDashboard !== undefined);
      const deadline = Date.now() + 10_000;
      while (pendingPolls.size === 0 && Date.now() < deadline) await page.waitForTimeout(50);
      const [poll] = [...pendingPolls];
      expect(poll).toBeDefined();
      const stable = await page.evaluate(() =>
        Promise.race([
          window.hmbDashboard!.whenStable().then(() => true),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5_000)),
        ]),
      );
      expect(stable).toBe(true);
      // The same poll is still open: stability did not wait for it.
      expect(pendingPolls.has(poll!)).toBe(true);
      expect(await badgeText(page)).toBe('live');
    }, 30_000);

    it('5. the library checks pass in the same browser: poll and /stream, JSON and BSON, sink, aborts on unsubscribe', async () => {
      const { result, aborted } = await runLibraryChecks(browser, DASHBOARD_DIR, `${bus.url}/web`);
      expect(result).toEqual({
        'json-sent': 50,
        'json-poll': true,
        'json-stream': true,
        'json-info': 50,
        'bson-sent': 50,
        'bson-poll': true,
        'bson-stream': true,
        'bson-info': 50,
        'unsubscribe-poll': true,
        'unsubscribe-stream': true,
        ok: true,
      });
      expect(aborted.filter((url) => url.includes('/web/recv/')).length).toBeGreaterThanOrEqual(1);
      expect(aborted.filter((url) => url.includes('/web/stream/')).length).toBeGreaterThanOrEqual(
        1,
      );
    }, 90_000);
  });
}

declare global {
  interface Window {
    /** Set by the dashboard's main.ts once the application is bootstrapped. */
    hmbDashboard?: { whenStable(): Promise<void> };
  }
}
