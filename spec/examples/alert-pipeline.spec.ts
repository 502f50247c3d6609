import { lastValueFrom, take, timeout, toArray } from 'rxjs';
import { isHmbError } from '../../src/errors/hmb-error';
import type { HmbSourceFailure } from '../../src/client/merge-buses';
import {
  alertPipeline,
  dataCentreFeeds,
  publishAlerts,
  type AlertNotice,
} from '../../examples/alert-pipeline';
import { SAMPLE_ALERTS, topicOf, type SeismicAlert } from '../../examples/sample-alerts';
import { publish } from '../helpers/publish';
import { startTestBus, type TestBus } from '../helpers/test-bus';

/** What the pipeline should let through: the right regions and magnitudes, once, in time order. */
function expectedAlerts(regions: RegExp, minMagnitude: number): SeismicAlert[] {
  return SAMPLE_ALERTS.filter((a) => regions.test(topicOf(a)) && a.magnitude >= minMagnitude)
    .slice()
    .sort((a, b) => Date.parse(a.originTime) - Date.parse(b.originTime));
}

/** Waits until a session of the bus listens to ANNOUNCEMENT (a subscription waiting for its queue). */
async function untilListening(busUrl: string): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const status = (await (await fetch(`${busUrl}/status`)).json()) as {
      session: Record<string, { queue: Record<string, unknown> }>;
    };
    if (Object.values(status.session).some((s) => 'ANNOUNCEMENT' in s.queue)) return;
    if (Date.now() > deadline) throw new Error(`no subscription on ${busUrl}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const ids = (notices: AlertNotice[]): string[] => notices.map((n) => n.alert.eventId);

describe('examples: alert pipeline', () => {
  let dc1: TestBus;
  let dc2: TestBus;

  beforeEach(async () => {
    [dc1, dc2] = await Promise.all([startTestBus(), startTestBus()]);
    const [feed1, feed2] = dataCentreFeeds();
    await Promise.all([publishAlerts(dc1.url, feed1), publishAlerts(dc2.url, feed2)]);
  });

  afterEach(async () => {
    await Promise.all([dc1?.close(), dc2?.close()]);
  });

  const run = (
    options: Parameters<typeof alertPipeline>[1],
    urls = [dc1.url, dc2.url],
  ): Promise<AlertNotice[]> =>
    lastValueFrom(
      alertPipeline(urls, { replay: true, ...options }).pipe(toArray(), timeout(10_000)),
    );

  it('examples: two overlapping buses give each matching alert once, in origin-time order', async () => {
    const got = await run({
      regions: ['EUROPE', 'ASIA_*', 'AMERICAS'],
      minMagnitude: 4.5,
      throttleMs: 0,
    });
    expect(ids(got)).toEqual(expectedAlerts(/./, 4.5).map((a) => a.eventId));
    // Alerts only DC1 has come from DC1, those only DC2 has from DC2.
    const [feed1, feed2] = dataCentreFeeds();
    for (const n of got) {
      const on1 = feed1.some((a) => a.eventId === n.alert.eventId);
      const on2 = feed2.some((a) => a.eventId === n.alert.eventId);
      if (on1 && !on2) expect(n.bus).toBe(dc1.url);
      if (on2 && !on1) expect(n.bus).toBe(dc2.url);
      expect(n.region).toBe(topicOf(n.alert));
    }
  });

  it('examples: the region (topic) and magnitude filters apply', async () => {
    const got = await run({ regions: ['EUROPE', 'ASIA_*'], minMagnitude: 4, throttleMs: 0 });
    expect(ids(got)).toEqual(expectedAlerts(/^(EUROPE|ASIA_PACIFIC)$/, 4).map((a) => a.eventId));
    expect(got.every((n) => n.alert.magnitude >= 4 && n.region !== 'AMERICAS')).toBe(true);
  });

  it('examples: notifications are throttled per region: the first at once, then the latest', async () => {
    // Asia-Pacific has three alerts of M4.5+ (Honshu, Sumatra, Taiwan) arriving together:
    // Honshu goes at once, Taiwan at the end of the throttle window, Sumatra is skipped.
    const got = await run({ regions: ['EUROPE', 'ASIA_*'], minMagnitude: 4.5, throttleMs: 200 });
    const asia = got.filter((n) => n.region === 'ASIA_PACIFIC').map((n) => n.alert.region);
    expect(asia).toEqual(['NEAR EAST COAST OF HONSHU, JAPAN', 'TAIWAN REGION']);
    expect(got.filter((n) => n.region === 'EUROPE').map((n) => n.alert.region)).toEqual([
      'DODECANESE ISLANDS, GREECE',
    ]);
  });

  it('examples: invalid payloads are dropped, not paged', async () => {
    const bus = await startTestBus();
    try {
      await publish(bus.url, [
        {
          type: 'SYSTEM_ALERT',
          queue: 'SYSTEM_ALERT',
          topic: 'EUROPE',
          data: { eventId: 'x', magnitude: 'huge' },
        },
      ]);
      const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
      try {
        const got = await run({ minMagnitude: 0, throttleMs: 0 }, [bus.url, dc1.url]);
        expect(ids(got)).not.toContain('x');
        expect(got.length).toBeGreaterThan(0);
        expect(warn).toHaveBeenCalledWith(expect.stringContaining('SYSTEM_ALERT#0'));
      } finally {
        warn.mockRestore();
      }
    } finally {
      await bus.close();
    }
  });

  it('examples: a data centre without the alert queue is reported and the other keeps the pipeline going', async () => {
    const empty = await startTestBus();
    try {
      const failures: HmbSourceFailure[] = [];
      const got = await run(
        { regions: ['*'], minMagnitude: 0, throttleMs: 0, onBusError: (f) => failures.push(f) },
        [empty.url, dc2.url],
      );
      const [, feed2] = dataCentreFeeds();
      expect(ids(got).sort()).toEqual(feed2.map((a) => a.eventId).sort());
      expect(got.every((n) => n.bus === dc2.url)).toBe(true);
      expect(failures).toHaveLength(1);
      expect(failures[0]!.bus).toBe(empty.url);
      expect(isHmbError(failures[0]!.error, 'HMB_ERR_QUEUE_NOT_FOUND')).toBe(true);
    } finally {
      await empty.close();
    }
  });

  it('examples: live, alerts published after subscribing come through once each', async () => {
    const fresh = await Promise.all([startTestBus(), startTestBus()]);
    try {
      const urls = fresh.map((b) => b.url);
      const notices = lastValueFrom(
        alertPipeline(urls, { throttleMs: 0, reorderLagMs: 300, minMagnitude: 5 }).pipe(
          take(3),
          toArray(),
          timeout(10_000),
        ),
      );
      // The queue does not exist yet on either bus: the pipeline waits for it to be created,
      // listening to ANNOUNCEMENT. Publish once both sessions are open.
      await Promise.all(urls.map((url) => untilListening(url)));
      const [feed1, feed2] = dataCentreFeeds();
      await Promise.all([publishAlerts(urls[0]!, feed1), publishAlerts(urls[1]!, feed2)]);
      // Honshu 5.9, Sumatra 5.2 and Taiwan 5.5 are the Europe/Asia-Pacific alerts of M5+.
      expect(ids(await notices)).toEqual(['20261124_0003', '20261124_0007', '20261124_0011']);
    } finally {
      await Promise.all(fresh.map((b) => b.close()));
    }
  });
});
