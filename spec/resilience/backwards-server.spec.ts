import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { lastValueFrom, tap } from 'rxjs';
import { HmbClient } from '../../src/node';
import { HmbProtocolError } from '../../src/errors/protocol-error';
import type { HmbRewindGap } from '../../src/session/connection-state';
import type { HmbEvent } from '../../src/session/hmb-event';
import type { HmbMessage } from '../../src/protocol/message';
import { RECORD_HEADER_BYTES } from '../../src/server/persistence/record-framing';
import { seqs, sleep } from '../helpers/collect';
import { numbered, publish } from '../helpers/publish';
import { startRingSkippingBus, type RingSkippingBus } from '../helpers/ring-skipping-bus';
import { startScriptedServer, type ScriptedServer } from '../helpers/scripted-server';
import { startTestBus, type TestBus } from '../helpers/test-bus';

let client: HmbClient | undefined;
let scripted: ScriptedServer | undefined;
let fake: RingSkippingBus | undefined;
let bus: TestBus | undefined;
let dir: string | undefined;

afterEach(async () => {
  await client?.close();
  await scripted?.close();
  await fake?.close();
  await bus?.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  client = scripted = fake = bus = dir = undefined;
});

/** Collects a subscription's events and resolves waits on them. */
function recordEvents(source: ReturnType<HmbClient['events']>) {
  const events: HmbEvent[] = [];
  let failure: unknown;
  const subscription = source.subscribe({
    next: (e) => events.push(e),
    error: (e: unknown) => (failure = e),
  });
  const messages = (): HmbMessage[] => events.filter((e): e is HmbMessage => e.kind === 'message');
  const until = async (test: () => boolean, what: string, timeoutMs = 15_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!test()) {
      if (failure !== undefined) throw failure;
      if (Date.now() > deadline) throw new Error(`timeout waiting for ${what}`);
      await sleep(10);
    }
  };
  return { events, messages, until, subscription };
}

/** Asserts that no (epoch, seq) was delivered twice, and returns the seqs of each epoch. */
function byEpoch(messages: readonly HmbMessage[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  const seen = new Set<string>();
  for (const m of messages) {
    const key = `${m.queue}/${m.epoch ?? 0}/${m.seq}`;
    expect(seen.has(key)).toBe(false);
    seen.add(key);
    const list = out.get(m.epoch ?? 0) ?? [];
    list.push(m.seq);
    out.set(m.epoch ?? 0, list);
  }
  return out;
}

describe.each(['poll', 'stream'] as const)('a server that goes backwards (%s)', (transport) => {
  it('rewind: a bus that lost its tail: no replay from 0, a rewind event, new messages in a new epoch', async () => {
    fake = await startRingSkippingBus({ ring: 1_000 });
    fake.append(
      'Q',
      seqs(0, 20).map((i) => ({ life: 1, i })),
    );
    client = new HmbClient(fake.url, { retry: { initialDelayMs: 20, maxDelayMs: 100 } });
    const rec = recordEvents(
      client.events({ queue: { Q: { seq: 0 } }, heartbeat: 1 }, { transport }),
    );
    await rec.until(() => rec.messages().length === 20, '20 messages');
    // A restart that lost seqs 15..19: the next /open at 20 is acknowledged at 15.
    fake.loseTail('Q', 5);
    await rec.until(() => rec.events.some((e) => e.kind === 'gap'), 'the rewind');
    fake.append(
      'Q',
      seqs(0, 10).map((i) => ({ life: 2, i })),
    );
    await rec.until(() => rec.messages().length === 30, '30 messages');
    await sleep(200);
    rec.subscription.unsubscribe();

    const gaps = rec.events.filter((e) => e.kind === 'gap');
    expect(gaps).toEqual([
      {
        kind: 'gap',
        queue: 'Q',
        expectedSeq: 20,
        nextSeq: 15,
        reason: 'rewind',
        lostFrom: 15,
        lostTo: 19,
        epoch: 1,
      } satisfies HmbRewindGap,
    ]);
    const epochs = byEpoch(rec.messages());
    expect(epochs.get(0)).toEqual(seqs(0, 20));
    expect(epochs.get(1)).toEqual(seqs(15, 25));
    // Payloads never mixed: each epoch carries what the server held in that life.
    for (const m of rec.messages()) {
      const data = m.data as { life: number; i: number };
      if ((m.epoch ?? 0) === 0) expect(data).toEqual({ life: 1, i: m.seq });
      else expect(data).toEqual({ life: 2, i: m.seq - 15 });
    }
  });
});

/** The log file of one queue of a persisted bus. */
function queueLogPath(root: string, queue: string): string {
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name === `x-${Buffer.from(queue).toString('hex')}.log`) found.push(path);
    }
  };
  walk(root);
  expect(found).toHaveLength(1);
  return found[0]!;
}

/** Cuts the last `count` records off a log file, as a crash that lost the tail would. */
function cutLastRecords(path: string, count: number): void {
  const data = readFileSync(path);
  const ends: number[] = [];
  for (let p = 0; p < data.length;) {
    p += RECORD_HEADER_BYTES + data.readUInt32LE(p);
    ends.push(p);
  }
  truncateSync(path, ends[ends.length - 1 - count]!);
}

describe.each([
  ['json', 'poll'],
  ['bson', 'stream'],
] as const)('the embedded bus restarted without its tail (%s, %s)', (format, transport) => {
  it('rewind: every message once per epoch, none replayed, payloads never mixed', async () => {
    dir = mkdtempSync(join(tmpdir(), 'hmb-rx-rewind-'));
    bus = await startTestBus({ persistDir: dir, fsyncIntervalMs: 10 }, 'tail');
    const port = bus.server.port;
    await publish(bus.url, numbered('A', 30));
    client = new HmbClient(bus.url, { format, retry: { initialDelayMs: 20, maxDelayMs: 200 } });
    const rec = recordEvents(
      client.events({ queue: { A: { seq: 0 } }, heartbeat: 1 }, { transport }),
    );
    await rec.until(() => rec.messages().length === 30, '30 messages');
    await bus.close();
    cutLastRecords(queueLogPath(dir, 'A'), 8);
    bus = await startTestBus({ persistDir: dir, port, fsyncIntervalMs: 10 }, 'tail');
    await rec.until(() => rec.events.some((e) => e.kind === 'gap'), 'the rewind');
    await publish(bus.url, numbered('A', 10, 100));
    await rec.until(() => rec.messages().length === 40, '40 messages');
    await sleep(300);
    rec.subscription.unsubscribe();

    expect(rec.events.filter((e) => e.kind === 'gap')).toEqual([
      {
        kind: 'gap',
        queue: 'A',
        expectedSeq: 30,
        nextSeq: 22,
        reason: 'rewind',
        lostFrom: 22,
        lostTo: 29,
        epoch: 1,
      },
    ]);
    const epochs = byEpoch(rec.messages());
    expect(epochs.get(0)).toEqual(seqs(0, 30));
    expect(epochs.get(1)).toEqual(seqs(22, 32));
    const payload = (m: HmbMessage): number => (m.data as { i: number }).i;
    expect(
      rec
        .messages()
        .filter((m) => m.epoch === undefined)
        .map(payload),
    ).toEqual(seqs(0, 30));
    expect(
      rec
        .messages()
        .filter((m) => m.epoch === 1)
        .map(payload),
    ).toEqual(seqs(100, 110));
  }, 30_000);
});

/** A server whose /open and /recv answers the test writes. */
async function serverAnswering(ackSeq: unknown, recvBody: string): Promise<ScriptedServer> {
  return startScriptedServer({
    open: (_req, res: ServerResponse) => {
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(
          `{"sid":"AAAAAAAAAAAAAAAA","cid":"c","queue":{"Q":{"seq":${String(ackSeq)},"error":null}}}`,
        );
    },
    recv: (_req, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(recvBody);
    },
  });
}

const msg = (seq: string): string => `{"type":"T","queue":"Q","seq":${seq}}`;

describe('impossible seqs from the server are protocol errors', () => {
  it.each([
    ['a negative seq', `{"0":${msg('-3')}}`, []],
    ['a fractional seq', `{"0":${msg('1.5')}}`, []],
    ['a seq beyond 2^53', `{"0":${msg('9007199254740993')}}`, []],
    [
      'a seq that goes backwards within an answer',
      `{"0":${msg('0')},"1":${msg('1')},"2":${msg('0')}}`,
      [0, 1],
    ],
    [
      'a seq repeated within an answer',
      `{"0":${msg('0')},"1":${msg('1')},"2":${msg('1')}}`,
      [0, 1],
    ],
  ])('validation: %s', async (_what, body, deliveredSeqs) => {
    scripted = await serverAnswering(0, body);
    client = new HmbClient(`${scripted.url}/bus`);
    const delivered: HmbMessage[] = [];
    const error = await lastValueFrom(
      client
        .subscribe({ queue: { Q: { seq: 0 } } }, { retry: false })
        .pipe(tap((m) => delivered.push(m))),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(HmbProtocolError);
    expect(error).toMatchObject({ code: 'HMB_ERR_PROTOCOL', queue: 'Q' });
    expect(delivered.map((m) => m.seq)).toEqual(deliveredSeqs);
  });

  it.each([
    ['negative', '-1'],
    ['fractional', '2.5'],
  ])('validation: a %s seq in an /open acknowledgement', async (_what, ack) => {
    scripted = await serverAnswering(ack, '{"0":{"type":"EOF"}}');
    client = new HmbClient(`${scripted.url}/bus`);
    const error = await lastValueFrom(
      client.subscribe({ queue: { Q: { seq: 0 } } }, { retry: false }),
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'HMB_ERR_PROTOCOL', queue: 'Q' });
  });
});
