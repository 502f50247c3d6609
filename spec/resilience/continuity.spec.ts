import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, lastValueFrom, take, toArray } from 'rxjs';
import { match } from 'ts-pattern';
import { FileCursorStore, HmbClient, MemoryCursorStore } from '../../src/node';
import { LocalStorageCursorStore } from '../../src/cursor/local-storage-cursor-store';
import type { HmbConnectionState, HmbGap } from '../../src/session/connection-state';
import type { HmbEvent } from '../../src/session/hmb-event';
import { collect, seqs, sleep } from '../helpers/collect';
import { numbered, publish } from '../helpers/publish';
import { startTestBus, type TestBus } from '../helpers/test-bus';

let bus: TestBus;
let client: HmbClient;

afterEach(async () => {
  await client?.close();
  await bus?.close();
});

describe('continuity', () => {
  beforeEach(async () => {
    bus = await startTestBus({ queueLimit: 50 });
    client = new HmbClient(bus.url, { format: 'bson' });
  });

  it('gaps: when the server no longer holds the next seq, a trimmed gap is reported and delivery continues', async () => {
    await publish(bus.url, numbered('Q', 200));
    const gaps: HmbGap[] = [];
    const got = await lastValueFrom(
      client.recvAll({ queue: { Q: { seq: 0 } } }, { onGap: (g) => gaps.push(g) }).pipe(toArray()),
    );
    expect(got.map((m) => m.seq)).toEqual(seqs(150, 200));
    expect(gaps).toEqual([
      { kind: 'gap', queue: 'Q', expectedSeq: 0, nextSeq: 150, reason: 'trimmed' },
    ]);
  });

  it('gaps: qlen skipping ahead is reported as a gap too, but topic filtering is not', async () => {
    await publish(bus.url, numbered('Q', 20));
    const gaps: HmbGap[] = [];
    await lastValueFrom(
      client.recvAll({ queue: { Q: { seq: 0, qlen: 3 } } }, { onGap: (g) => gaps.push(g) }),
    );
    expect(gaps).toEqual([
      { kind: 'gap', queue: 'Q', expectedSeq: 0, nextSeq: 16, reason: 'skipped' },
    ]);
    await publish(bus.url, [
      { type: 'T', queue: 'R', topic: 'X' },
      { type: 'T', queue: 'R', topic: 'Y' },
      { type: 'T', queue: 'R', topic: 'X' },
    ]);
    const topicGaps: HmbGap[] = [];
    const xs = await lastValueFrom(
      client
        .recvAll({ queue: { R: { seq: 0, topics: ['X'] } } }, { onGap: (g) => topicGaps.push(g) })
        .pipe(toArray()),
    );
    expect(xs.map((m) => m.seq)).toEqual([0, 2]);
    expect(topicGaps).toEqual([]);
  });

  it('backlogThenLive: drains what the bus holds, says so, then follows live with no gap and no duplicate', async () => {
    await publish(bus.url, numbered('Q', 30));
    const events: HmbEvent[] = [];
    let live!: () => void;
    const isLive = new Promise<void>((r) => (live = r));
    const sub = client
      .events({ queue: { Q: { seq: 0 } }, heartbeat: 1 }, { backlogThenLive: true })
      .subscribe((e) => {
        events.push(e);
        if (e.kind === 'live') live();
      });
    await isLive;
    await publish(bus.url, numbered('Q', 10, 30));
    await sleep(300);
    sub.unsubscribe();
    const kinds = events.filter((e) => e.kind === 'message' || e.kind === 'live');
    const liveAt = kinds.findIndex((e) => e.kind === 'live');
    expect(liveAt).toBe(30);
    expect(
      kinds.filter((e) => e.kind === 'message').map((e) => (e.kind === 'message' ? e.seq : -1)),
    ).toEqual(seqs(0, 40));
  });

  it('cursor store: a subscription that stops and starts again resumes after the last delivered seq', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hmb-rx-cursor-'));
    try {
      await publish(bus.url, numbered('Q', 40));
      const store = new FileCursorStore(dir);
      const cursor = { store, key: 'dashboard/alerts' };
      const first = await firstValueFrom(
        client.subscribe({ queue: { Q: { seq: 0 } } }, { cursor }).pipe(take(15), toArray()),
      );
      expect(first.map((m) => m.seq)).toEqual(seqs(0, 15));
      expect(
        JSON.parse(
          readFileSync(join(dir, `${encodeURIComponent('dashboard/alerts')}.json`), 'utf8'),
        ),
      ).toEqual({ Q: 15 });
      // A new process: a new client, the same store.
      const again = new HmbClient(bus.url);
      const second = await lastValueFrom(
        again.recvAll({ queue: { Q: { seq: 0 } } }, { cursor }).pipe(toArray()),
      );
      await again.close();
      expect(second.map((m) => m.seq)).toEqual(seqs(15, 40));
      expect(await store.load('dashboard/alerts')).toEqual({ Q: 40 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('cursor store: memory and localStorage stores keep positions; a corrupt entry is ignored', async () => {
    const memory = new MemoryCursorStore();
    await memory.save('k', { A: 3 });
    expect(await memory.load('k')).toEqual({ A: 3 });
    const items = new Map<string, string>();
    const storage = {
      getItem: (k: string) => items.get(k) ?? null,
      setItem: (k: string, v: string) => void items.set(k, v),
    };
    const local = new LocalStorageCursorStore(storage);
    await local.save('k', { A: 7 });
    expect(items.get('hmb-rx:cursor:k')).toBe('{"A":7}');
    expect(await local.load('k')).toEqual({ A: 7 });
    items.set('hmb-rx:cursor:k', '{not json');
    expect(await local.load('k')).toBeUndefined();
  });

  it('waitForQueues: a queue created later is announced, joined and read from its first seq', async () => {
    const states: HmbConnectionState['type'][] = [];
    const sub = collect(
      client.subscribe(
        { queue: { LATER: {}, NOW: {} }, heartbeat: 1 },
        { waitForQueues: true, onState: (s) => states.push(s.type) },
      ),
    );
    await sleep(300);
    await publish(bus.url, numbered('LATER', 5));
    await sub.until(5, 5000);
    await publish(bus.url, numbered('NOW', 2));
    await sub.until(7, 5000);
    sub.subscription.unsubscribe();
    expect(sub.messages.map((m) => `${m.queue}:${m.seq}`)).toEqual([
      'LATER:0',
      'LATER:1',
      'LATER:2',
      'LATER:3',
      'LATER:4',
      'NOW:0',
      'NOW:1',
    ]);
    // The internal ANNOUNCEMENT subscription is never delivered.
    expect(sub.messages.some((m) => m.queue === 'ANNOUNCEMENT')).toBe(false);
    expect(states.filter((s) => s === 'open').length).toBeGreaterThanOrEqual(2);
  });

  it('lifecycle: every state can be matched exhaustively; a fatal error closes with the error', async () => {
    const seen: string[] = [];
    const error = await lastValueFrom(
      client.subscribe(
        { queue: { MISSING: {} } },
        {
          onState: (state) =>
            seen.push(
              match(state)
                .with({ type: 'opening' }, (s) => `opening#${s.attempt}`)
                .with({ type: 'open' }, () => 'open')
                .with({ type: 'lost' }, () => 'lost')
                .with({ type: 'resuming' }, (s) => `resuming in ${s.delayMs}`)
                .with({ type: 'closed' }, (s) =>
                  s.error === undefined ? 'closed' : `closed: ${(s.error as Error).name}`,
                )
                .exhaustive(),
            ),
        },
      ),
    ).catch((e: unknown) => e);
    expect((error as Error).name).toBe('HmbQueueNotFoundError');
    expect(seen).toEqual(['opening#0', 'closed: HmbQueueNotFoundError']);
  });
});
