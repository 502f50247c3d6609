import type { ServerResponse } from 'node:http';
import { lastValueFrom, toArray } from 'rxjs';
import { HmbSessionLostError } from '../../src/errors/session-lost-error';
import type { HmbFrame } from '../../src/protocol/message';
import { parseBusEndpoint } from '../../src/session/bus-endpoint';
import type { HmbConnectionInput } from '../../src/session/connection-state-machine';
import { DemandGate } from '../../src/session/demand-gate';
import { receiveAttempt, type HmbAttemptEvent } from '../../src/session/receive-attempt';
import type { HmbSessionContext } from '../../src/session/session-context';
import { SubscriptionCursor } from '../../src/session/subscription-cursor';
import { UndiciTransport } from '../../src/transport/undici-transport';
import { startScriptedServer, type ScriptedServer } from '../helpers/scripted-server';

const msg = (seq: number): string => `{"type":"T","queue":"Q","seq":${seq}}`;
const EOF_WIRE = '{"type":"EOF"}';
/** A JSON /recv answer: a list as an object keyed "0", "1", … */
const answer = (...items: string[]): string =>
  `{${items.map((item, i) => `"${i}":${item}`).join(',')}}`;

let server: ScriptedServer | undefined;
let ctx: HmbSessionContext | undefined;

afterEach(async () => {
  await ctx?.transport.close();
  await server?.close();
  ctx = undefined;
  server = undefined;
});

/**
 * A bus whose /open acknowledges Q at the seq asked for, or `ackSeq` for a relative one (recording
 * each /open body), and whose n-th /recv is answered with `recvs[n]`.
 */
async function scriptedBus(
  ackSeq: number,
  recvs: readonly string[],
): Promise<{ ctx: HmbSessionContext; opens: unknown[] }> {
  const opens: unknown[] = [];
  let polls = 0;
  server = await startScriptedServer({
    open: (_req, res: ServerResponse, body) => {
      const open = JSON.parse(body.toString('utf8')) as { queue: { Q: { seq?: number } } };
      opens.push(open);
      // Like the real server: a seq asked for is acknowledged as it is (the queue holds it).
      const seq = (open.queue.Q.seq ?? -1) >= 0 ? open.queue.Q.seq : ackSeq;
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(`{"sid":"S${opens.length}","cid":"c","queue":{"Q":{"seq":${seq},"error":null}}}`);
    },
    recv: (_req, res: ServerResponse) => {
      const body = recvs[polls++];
      if (body === undefined) return; // never answered: the test ends the attempt
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    },
  });
  ctx = {
    transport: new UndiciTransport(),
    endpoint: parseBusEndpoint(`${server.url}/bus`),
    format: 'json',
    headers: {},
    requestTimeoutMs: 5_000,
  };
  return { ctx, opens };
}

/** What an attempt emitted, in short: `m<seq>`, `eof`, `live`, `hb`, or the event kind. */
function short(event: HmbAttemptEvent): string {
  if (event.kind === 'message') return `m${event.seq}`;
  return event.kind;
}

describe('receive attempt (against a scripted server)', () => {
  it('attempt: opens, reads a window to its EOF, emits EOF and completes; reports opening then opened', async () => {
    const bus = await scriptedBus(0, [answer(msg(0), msg(1)), answer(msg(2), EOF_WIRE)]);
    const cursor = new SubscriptionCursor({ queue: { Q: { seq: 0, keep: false } } });
    const reports: HmbConnectionInput[] = [];
    const events = await lastValueFrom(
      receiveAttempt(bus.ctx, cursor, { report: (r) => reports.push(r) }).pipe(toArray()),
    );
    expect(events.map(short)).toEqual(['m0', 'm1', 'm2', 'eof']);
    expect(reports).toEqual([{ kind: 'opening' }, { kind: 'opened', sid: 'S1', cid: 'c' }]);
    // The second poll names the last message of the first (the continuity suffix).
    expect(server!.requests).toEqual([
      'POST /bus/open',
      'GET /bus/recv/S1',
      'GET /bus/recv/S1/Q/1',
    ]);
    expect(cursor.positions()).toEqual({ Q: 3 });
  });

  it('attempt: a backlogThenLive cursor reads the backlog with keep:false, emits live at its EOF and reopens from where it ended', async () => {
    const bus = await scriptedBus(0, [answer(msg(0), msg(1), EOF_WIRE), answer(msg(2), EOF_WIRE)]);
    const cursor = new SubscriptionCursor(
      { queue: { Q: { seq: 0, keep: true } } },
      { backlogThenLive: true },
    );
    const events = await lastValueFrom(receiveAttempt(bus.ctx, cursor).pipe(toArray()));
    // The scripted server ends the live session with EOF too, so the attempt completes there.
    expect(events.map(short)).toEqual(['m0', 'm1', 'live', 'm2', 'eof']);
    expect(bus.opens).toMatchObject([
      { queue: { Q: { seq: 0, keep: false } } },
      { queue: { Q: { seq: 2, keep: true } } },
    ]);
  });

  it('attempt: a session whose frames end without EOF is lost (an error for the retry layer)', async () => {
    const bus = await scriptedBus(0, []);
    const cursor = new SubscriptionCursor({ queue: { Q: { seq: 0 } } });
    async function* oneBatch(): AsyncGenerator<HmbFrame[]> {
      yield [{ kind: 'message', type: 'T', queue: 'Q', seq: 0 }];
    }
    await expect(
      lastValueFrom(receiveAttempt(bus.ctx, cursor, { source: oneBatch })),
    ).rejects.toBeInstanceOf(HmbSessionLostError);
    expect(cursor.positions()).toEqual({ Q: 1 });
  });

  it('attempt: with a demand that waits, the next poll starts only when it settles, and the gate says it is waiting meanwhile', async () => {
    const bus = await scriptedBus(0, [answer(msg(0)), answer(msg(1), EOF_WIRE)]);
    const cursor = new SubscriptionCursor({ queue: { Q: { seq: 0, keep: false } } });
    let release: () => void = () => undefined;
    let asked = 0;
    const flow = new DemandGate(() => {
      asked++;
      return new Promise<void>((resolve) => (release = resolve));
    });
    const events: string[] = [];
    const done = lastValueFrom(receiveAttempt(bus.ctx, cursor, { flow }).pipe(toArray())).then(
      (all) => events.push(...all.map(short)),
    );
    while (asked === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    expect(flow.waiting).toBe(true);
    expect(server!.requests).toEqual(['POST /bus/open', 'GET /bus/recv/S1']);
    release();
    await done;
    expect(flow.waiting).toBe(false);
    expect(events).toEqual(['m0', 'm1', 'eof']);
    // Not asked after the batch with EOF: there is nothing more to read.
    expect(asked).toBe(1);
  });

  it('attempt: unsubscribing aborts the poll in flight and emits nothing more', async () => {
    const bus = await scriptedBus(0, [answer(msg(0))]);
    const cursor = new SubscriptionCursor({ queue: { Q: { seq: 0 } } });
    const events: string[] = [];
    const subscription = receiveAttempt(bus.ctx, cursor).subscribe({
      next: (e) => events.push(short(e)),
      error: (e: unknown) => events.push(`error ${String(e)}`),
    });
    while (server!.requests.length < 3) await new Promise((r) => setTimeout(r, 5));
    subscription.unsubscribe();
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toEqual(['m0']);
  });
});
