import { firstValueFrom } from 'rxjs';
import { HmbClient } from '../../src/node';
import { isHmbError } from '../../src/errors/hmb-error';
import { readBack } from '../helpers/publish';
import { startTestBus, type TestBus } from '../helpers/test-bus';
import { until } from '../helpers/virtual-clock';

let bus: TestBus;
let client: HmbClient;

afterEach(async () => {
  await client?.close();
  await bus?.close();
});

async function sessionsOnBus(url: string): Promise<number> {
  // /status is a plain GET: asking it opens no session.
  const reader = new HmbClient(url);
  try {
    return Object.keys((await firstValueFrom(reader.status())).session).length;
  } finally {
    await reader.close();
  }
}

describe.each(['json', 'bson'] as const)(
  'sink: one publishing session per client (%s)',
  (format) => {
    beforeEach(async () => {
      bus = await startTestBus();
      client = new HmbClient(bus.url, { format });
    });

    it('sink: 20 sendMsg calls (10 in a row, 10 at once) leave ONE session on the server and send 20 messages once, in order', async () => {
      for (let i = 0; i < 10; i++) await client.sendMsg('T', 'S', { i });
      const receipts = await Promise.all(
        Array.from({ length: 10 }, (_, k) => client.sendMsg('T', 'S', { i: 10 + k })),
      );
      expect(receipts.every((r) => r.sent === 1)).toBe(true);
      expect(new Set(receipts.map((r) => r.sid)).size).toBe(1);
      expect(await sessionsOnBus(bus.url)).toBe(1);
      const back = await readBack(bus.url, 'S');
      expect(back.slice(0, 10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect([...back].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    });

    it('sink: a sendMsg that nobody awaits or subscribes to is sent all the same', async () => {
      void client.sendMsg('T', 'FIRE', { i: 7 });
      await until(async () => (await readBack(bus.url, 'FIRE').catch(() => [])).length === 1);
      expect(await readBack(bus.url, 'FIRE')).toEqual([7]);
    });

    it('sink: sinks share the client session unless they ask for their own (ownSession or a cid)', async () => {
      const shared = client.sink<{ i: number }>();
      const own = client.sink<{ i: number }>({ ownSession: true });
      const sids = { shared: new Set<string>(), own: new Set<string>() };
      shared.results.subscribe((r) => r.kind === 'sent' && sids.shared.add(r.sid));
      own.results.subscribe((r) => r.kind === 'sent' && sids.own.add(r.sid));
      shared.next({ type: 'T', queue: 'A', data: { i: 0 } });
      own.next({ type: 'T', queue: 'A', data: { i: 1 } });
      const receipt = await client.send({ type: 'T', queue: 'A', data: { i: 2 } });
      shared.complete();
      own.complete();
      await Promise.all([shared.done, own.done]);
      expect([...sids.shared]).toEqual([receipt.sid]);
      expect(sids.own.size).toBe(1);
      expect(sids.own.has(receipt.sid!)).toBe(false);
      expect(await sessionsOnBus(bus.url)).toBe(2);
    });

    it('sink: next() after done settled throws HMB_ERR_CLOSED instead of dropping the message silently', async () => {
      const sink = client.sink<{ i: number }>();
      const refused: string[] = [];
      sink.results.subscribe((r) => r.kind === 'refused' && refused.push(r.error.code));
      sink.next({ type: 'T', queue: 'D', data: { i: 0 } });
      sink.complete();
      // Between complete() and done: refused on `results`, which is still open.
      sink.next({ type: 'T', queue: 'D', data: { i: 1 } });
      expect(refused).toEqual(['HMB_ERR_CLOSED']);
      expect(await sink.done).toMatchObject({ sent: 1, refused: 1 });
      let thrown: unknown;
      try {
        sink.next({ type: 'T', queue: 'D', data: { i: 2 } });
      } catch (error) {
        thrown = error;
      }
      expect(isHmbError(thrown, 'HMB_ERR_CLOSED')).toBe(true);
      expect((thrown as Error).message).toContain('queue "D"');
    });
  },
);

describe('sink: the publishing session is reopened when the server forgets it', () => {
  it('sink: after the session expired, the next send opens a new one; still one session on the server', async () => {
    bus = await startTestBus({ sessionTimeoutSec: 1, sweepIntervalSec: 0.5 });
    client = new HmbClient(bus.url);
    const first = await client.sendMsg('T', 'E', { i: 0 });
    await until(async () => (await sessionsOnBus(bus.url)) === 0);
    const second = await client.sendMsg('T', 'E', { i: 1 });
    expect(second.sid).not.toBe(first.sid);
    expect(await client.sendMsg('T', 'E', { i: 2 })).toMatchObject({ sid: second.sid });
    expect(await sessionsOnBus(bus.url)).toBe(1);
    expect(await readBack(bus.url, 'E')).toEqual([0, 1, 2]);
  });
});
