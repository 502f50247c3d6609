import { request } from 'undici';
import {
  decodeBsonDocs,
  msgs,
  rawSocket,
  sleep,
  type TestBus,
  useTestBuses,
} from '../helpers/raw-http';

/** Reads a stream, recording each piece of body with its arrival time. */
async function readStream(
  bus: TestBus,
  path: string,
  stopAfterMs: number,
): Promise<Array<{ atMs: number; text: string; bytes: Buffer }>> {
  const pieces: Array<{ atMs: number; text: string; bytes: Buffer }> = [];
  const t0 = Date.now();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), stopAfterMs);
  try {
    const res = await request(`${bus.url}${path}`, { signal: abort.signal, dispatcher: bus.agent });
    for await (const chunk of res.body) {
      const bytes = chunk as Buffer;
      pieces.push({ atMs: Date.now() - t0, text: bytes.toString('utf8'), bytes });
    }
  } catch (err) {
    if (!abort.signal.aborted) throw err;
  } finally {
    clearTimeout(timer);
  }
  return pieces;
}

describe('server /stream', () => {
  const start = useTestBuses();

  it('server /stream: one endless JSON object, keys counting across bursts and heartbeats, later bursts starting with a comma', async () => {
    const bus = await start();
    const sender = await bus.seed(msgs('Q', 3));
    const ack = await bus.open({ heartbeat: 1, queue: { Q: { seq: 0 } } });
    const reading = readStream(bus, `/stream/${ack.sid}`, 2400);
    await sleep(1500);
    await bus.send(sender, [{ type: 'T', queue: 'Q', data: { i: 'late' } }]);
    const pieces = await reading;
    const text = pieces.map((p) => p.text).join('');
    expect(text).toBe(
      '{"0":{"type":"T","queue":"Q","sender":"snd","seq":0,"data":{"i":0}},"1":{"type":"T","queue":"Q","sender":"snd","seq":1,"data":{"i":1}},"2":{"type":"T","queue":"Q","sender":"snd","seq":2,"data":{"i":2}}' +
        ',"3":{"type":"HEARTBEAT"},"4":{"type":"T","queue":"Q","sender":"snd","seq":3,"data":{"i":"late"}},"5":{"type":"HEARTBEAT"}',
    );
    expect(pieces[0]!.text.startsWith('{"0":')).toBe(true);
    for (const p of pieces.slice(1)) expect(p.text.startsWith(',')).toBe(true);
    const hb = pieces.find((p) => p.text === ',"3":{"type":"HEARTBEAT"}')!;
    expect(hb.atMs).toBeGreaterThanOrEqual(950);
  });

  it('server /stream: EOF closes the object and ends the body', async () => {
    const bus = await start();
    await bus.seed(msgs('Q', 2));
    const ack = await bus.open({ queue: { Q: { seq: 0, keep: false } } });
    const res = await bus.req(`/stream/${ack.sid}`);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['transfer-encoding']).toBe('chunked');
    const list = JSON.parse(res.text) as Record<string, { type: string }>;
    expect(Object.values(list).map((m) => m.type)).toEqual(['T', 'T', 'EOF']);
  });

  it('server /stream: BSON sessions get documents back to back, heartbeats and EOF included, then the body ends', async () => {
    const bus = await start();
    const sender = await bus.seed(msgs('Q', 2));
    const ack = await bus.openBson({ heartbeat: 1, queue: { Q: { seq: 0, endseq: 2 } } });
    const reading = bus.req(`/stream/${ack.sid}`);
    await sleep(1300);
    await bus.send(sender, msgs('Q', 2));
    const res = await reading;
    expect(res.headers['content-type']).toBe('application/bson');
    const docs = decodeBsonDocs(res.body);
    expect(docs.map((d) => d['type'] as string)).toEqual(['T', 'T', 'HEARTBEAT', 'T', 'EOF']);
  });

  it('server /stream: nothing is written before the first message or heartbeat', async () => {
    const bus = await start();
    const sender = await bus.seed(msgs('Q', 1));
    const ack = await bus.open({ queue: { Q: {} } });
    const watching = rawSocket(
      bus.server.port,
      `GET /test/stream/${ack.sid} HTTP/1.1\r\nHost: x\r\n\r\n`,
      1300,
    );
    await sleep(1000);
    await bus.send(sender, msgs('Q', 1));
    const seen = await watching;
    expect(seen.chunks[0]!.atMs).toBeGreaterThanOrEqual(950);
    expect(seen.data.toString('latin1')).toContain(
      '{"0":{"type":"T","queue":"Q","sender":"snd","seq":1',
    );
  });

  it('server /stream: a burst of many messages comes as one flush with no heartbeat inside', async () => {
    const bus = await start();
    const sender = await bus.seed(msgs('Q', 1));
    const ack = await bus.open({ heartbeat: 1, queue: { Q: {} } });
    const reading = readStream(bus, `/stream/${ack.sid}`, 700);
    await sleep(200);
    await bus.send(sender, msgs('Q', 200));
    const text = (await reading).map((p) => p.text).join('');
    const list = JSON.parse(`${text}}`) as Record<string, { seq: number }>;
    expect(Object.values(list).map((m) => m.seq)).toEqual(
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
  });

  it('server /stream: the session stays alive while the stream is open and is idle once it closes', async () => {
    const bus = await start({ sessionTimeoutSec: 0.2, sweepIntervalSec: 0.1 });
    const ack = await bus.open({ queue: { ANNOUNCEMENT: {} } });
    await readStream(bus, `/stream/${ack.sid}`, 700);
    await sleep(500);
    expect((await bus.recv(ack.sid)).text).toBe('invalid session\n');
  });
});
