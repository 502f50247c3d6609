import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { jsonFrames, rawRequest } from '../helpers/raw-http';
import { startServerChild, type ServerChild } from '../helpers/server-child';

const ROUNDS = 4;
const SENDERS = 4;
const PER_POST = 10;
/** Each round streams sends until this many are acknowledged, then the bus is killed mid-stream. */
const ACKED_BEFORE_KILL = 1_500;

const json = { 'content-type': 'application/json' };

/** What a message carries: the round, the sender and its count, so each one can be found again. */
const keyOf = (d: { r: number; w: number; i: number }): string => `${d.r}/${d.w}/${d.i}`;

async function openSid(child: ServerChild, params: unknown, dispatcher: Agent): Promise<string> {
  const res = await rawRequest(`${child.url}/crash/open`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify(params),
    dispatcher,
  });
  expect(res.status).toBe(200);
  return (JSON.parse(res.text) as { sid: string }).sid;
}

/** Every message of queue Q from seq 0, by key, with its seq (and the count of each key). */
async function readAll(
  child: ServerChild,
  dispatcher: Agent,
): Promise<{ seqOf: Map<string, number>; copies: Map<string, number> }> {
  const sid = await openSid(child, { queue: { Q: { seq: 0, keep: false } } }, dispatcher);
  const seqOf = new Map<string, number>();
  const copies = new Map<string, number>();
  let suffix = '';
  for (;;) {
    const res = await rawRequest(`${child.url}/crash/recv/${sid}${suffix}`, { dispatcher });
    expect(res.status).toBe(200);
    let ended = false;
    for (const frame of jsonFrames(res.text)) {
      if (frame['type'] === 'EOF') {
        ended = true;
        continue;
      }
      const key = keyOf(frame['data'] as { r: number; w: number; i: number });
      seqOf.set(key, frame['seq'] as number);
      copies.set(key, (copies.get(key) ?? 0) + 1);
      suffix = `/Q/${String(frame['seq'])}`;
    }
    if (ended) return { seqOf, copies };
  }
}

/**
 * Streams sends from several concurrent senders until `ACKED_BEFORE_KILL` are acknowledged, then
 * kills the bus with SIGKILL while requests are still in flight. Returns the keys acknowledged.
 */
async function streamAndKill(
  child: ServerChild,
  round: number,
  dispatcher: Agent,
): Promise<{ acked: string[]; msgPerSec: number }> {
  const sid = await openSid(child, { cid: 'crash-sender' }, dispatcher);
  const acked: string[] = [];
  let killed = false;
  const started = performance.now();
  let killedAt = started;
  const sender = async (w: number): Promise<void> => {
    for (let i = 0; !killed; i += PER_POST) {
      const batch: Record<string, unknown> = {};
      for (let k = 0; k < PER_POST; k++)
        batch[k] = { type: 'T', queue: 'Q', data: { r: round, w, i: i + k } };
      let status: number;
      try {
        status = (
          await rawRequest(`${child.url}/crash/send/${sid}`, {
            method: 'POST',
            headers: json,
            body: JSON.stringify(batch),
            dispatcher,
          })
        ).status;
      } catch {
        return; // the bus died under this request: not acknowledged
      }
      if (status !== 204) throw new Error(`/send answered ${status}`);
      for (let k = 0; k < PER_POST; k++) acked.push(keyOf({ r: round, w, i: i + k }));
      if (acked.length >= ACKED_BEFORE_KILL && !killed) {
        killed = true;
        killedAt = performance.now();
        // The other senders' requests are in flight now.
        child.process.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: SENDERS }, (_, w) => sender(w)));
  await child.exited;
  return { acked, msgPerSec: (acked.length / (killedAt - started)) * 1000 };
}

describe('server persistence under kill -9 (issue 14.2)', () => {
  let dir: string;
  let child: ServerChild | undefined;
  const dispatchers: Agent[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hmb-crash-'));
  });

  afterEach(async () => {
    await child?.kill();
    child = undefined;
    await Promise.all(dispatchers.splice(0).map((d) => d.destroy()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('server crash: every 204-acknowledged message survives kill -9 exactly once, at the seq it was first read at, over repeated crashes', async () => {
    /** Seq of each acknowledged message when first read back: a later round must not reuse it. */
    const known = new Map<string, number>();
    const acknowledged: string[] = [];
    const rates: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      child = await startServerChild({ persistDir: dir });
      const sending = new Agent({ connections: SENDERS });
      dispatchers.push(sending);
      const { acked, msgPerSec } = await streamAndKill(child, round, sending);
      rates.push(msgPerSec);
      acknowledged.push(...acked);
      child = await startServerChild({ persistDir: dir });
      const reading = new Agent();
      dispatchers.push(reading);
      const { seqOf, copies } = await readAll(child, reading);
      const lost = acknowledged.filter((k) => !seqOf.has(k));
      const doubled = [...copies].filter(([, n]) => n > 1);
      const moved = [...known].filter(([k, seq]) => seqOf.get(k) !== seq);
      expect({ round, lost: lost.length, doubled: doubled.length, moved: moved.length }).toEqual({
        round,
        lost: 0,
        doubled: 0,
        moved: 0,
      });
      for (const k of acknowledged) known.set(k, seqOf.get(k)!);
      await child.stop();
      child = undefined;
    }
    process.stdout.write(
      `crash: ${acknowledged.length} acknowledged over ${ROUNDS} kill -9 rounds, 0 lost; /send with persist ${rates
        .map((r) => Math.round(r))
        .join(', ')} msg/s (${SENDERS} senders × ${PER_POST} per POST)\n`,
    );
  });
});
