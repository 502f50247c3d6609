import { BSON, Long } from 'bson';
import fc from 'fast-check';
import { firstValueFrom, lastValueFrom, take, timeout, toArray } from 'rxjs';
import { HmbClient } from '../../src/node';
import { isHmbError } from '../../src/errors/hmb-error';
import {
  startScriptedServer,
  writeInPieces,
  type ScriptedServer,
} from '../helpers/scripted-server';
import { splitAt } from '../helpers/wire-arbitraries';
import { TRANSPORTS } from '../helpers/transports';

function openReply(sid: string, queues: string[], seq = 0): string {
  return JSON.stringify({
    sid,
    cid: 'c',
    queue: Object.fromEntries(queues.map((q) => [q, { seq, error: null }])),
  });
}

function jsonMessages(from: number, count: number, eof: boolean): Buffer {
  const docs: unknown[] = Array.from({ length: count }, (_, k) => ({
    type: 'T',
    queue: 'Q',
    seq: from + k,
    data: { i: from + k, text: 'ünïcødé ✓ '.repeat(k % 3) },
  }));
  if (eof) docs.push({ type: 'EOF' });
  return Buffer.from(`{${docs.map((d, i) => `"${i}":${JSON.stringify(d)}`).join(',')}}`);
}

function bsonMessages(from: number, count: number, eof: boolean): Buffer {
  const docs: Record<string, unknown>[] = Array.from({ length: count }, (_, k) => ({
    type: 'T',
    queue: 'Q',
    seq: Long.fromNumber(from + k),
    data: { i: from + k },
  }));
  if (eof) docs.push({ type: 'EOF' });
  return Buffer.concat(docs.map((d) => BSON.serialize(d)));
}

let server: ScriptedServer | undefined;
let client: HmbClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

describe.each(TRANSPORTS)('client transport (%s)', (_name, makeTransport) => {
  /**
   * A bus (the test's `server`) whose first session's poll is answered with `first` and every later
   * session's with `later` (both in `format`), acknowledging later sessions at `laterAckSeq`. It
   * records the seq of queue Q each /open asked for.
   */
  async function startTwoAnswerBus(
    first: Buffer,
    later: Buffer,
    laterAckSeq: number,
    format: 'json' | 'bson' = 'bson',
  ): Promise<{ url: string; openSeqs: () => unknown[]; reset: () => void }> {
    let opens = 0;
    const seqs: unknown[] = [];
    server = await startScriptedServer({
      open: (_req, res, body) => {
        opens++;
        const params = (
          format === 'json' ? JSON.parse(body.toString('utf8')) : BSON.deserialize(body)
        ) as { queue: { Q: { seq: unknown } } };
        seqs.push(params.queue.Q.seq);
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(openReply(`S${opens}`, ['Q'], opens === 1 ? 0 : laterAckSeq));
      },
      recv: (req, res) => {
        res.writeHead(200, { 'content-type': `application/${format}` });
        res.end(req.url?.includes('/S1') ? first : later);
      },
    });
    return {
      url: server.url,
      openSeqs: () => [...seqs],
      reset: () => {
        opens = 0;
        seqs.length = 0;
      },
    };
  }

  /** Reads queue Q from seq 0 to EOF with retries (the test's `client`); the seqs delivered. */
  async function readWithRetries(url: string, format: 'json' | 'bson' = 'bson'): Promise<number[]> {
    client = new HmbClient(`${url}/b`, {
      format,
      transport: makeTransport(),
      heartbeat: 0,
      retry: { initialDelayMs: 10 },
    });
    const got = await lastValueFrom(
      client.recvAll({ queue: { Q: { seq: 0 } } }).pipe(toArray(), timeout(5000)),
    );
    return got.map((m) => m.seq);
  }

  it('transport: /recv bodies cut into arbitrary chunks decode to the same messages (JSON and BSON)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('json' as const, 'bson' as const),
        fc.array(fc.nat(3000), { maxLength: 8 }),
        async (format, cuts) => {
          const body = format === 'json' ? jsonMessages(0, 20, true) : bsonMessages(0, 20, true);
          const s = await startScriptedServer({
            open: (_req, res) => {
              res
                .writeHead(200, { 'content-type': 'application/json' })
                .end(openReply('S1', ['Q']));
            },
            recv: async (_req, res) => {
              res.writeHead(200, {
                'content-type': format === 'json' ? 'application/json' : 'application/bson',
              });
              await writeInPieces(res, splitAt(body, cuts), 0);
            },
          });
          const c = new HmbClient(`${s.url}/b`, {
            format,
            transport: makeTransport(),
            heartbeat: 0,
          });
          try {
            const got = await lastValueFrom(
              c.recvAll<{ i: number }>({ queue: { Q: { seq: 0 } } }).pipe(toArray()),
            );
            expect(got.map((m) => m.data?.i)).toEqual(Array.from({ length: 20 }, (_, i) => i));
          } finally {
            await c.close();
            await s.close();
          }
        },
      ),
      { numRuns: 15 },
    );
  });

  it('transport: custom headers and URL credentials reach the server on every request', async () => {
    server = await startScriptedServer({
      open: (_req, res) =>
        void res.writeHead(200, { 'content-type': 'application/json' }).end(openReply('S1', ['Q'])),
      recv: (_req, res) =>
        void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(jsonMessages(0, 1, true)),
      info: (_req, res) =>
        void res.writeHead(200, { 'content-type': 'application/json' }).end('{"queue":{}}'),
    });
    const url = server.url.replace('http://', 'http://alice:s%C3%A9same@');
    client = new HmbClient(`${url}/b`, {
      transport: makeTransport(),
      headers: { 'X-Api-Key': 'k1' },
      heartbeat: 0,
    });
    await lastValueFrom(client.recvAll({ queue: { Q: { seq: 0 } } }).pipe(toArray()));
    await lastValueFrom(client.info());
    const basic = `Basic ${Buffer.from('alice:sésame').toString('base64')}`;
    expect(server.headers).toHaveLength(3);
    for (const h of server.headers) {
      expect(h['authorization']).toBe(basic);
      expect(h['x-api-key']).toBe('k1');
    }
    expect(server.headers[0]!['content-type']).toBe('application/json');
  });

  it('transport: unsubscribing mid-poll aborts the request at once (the server sees the connection close)', async () => {
    let closedAt = 0;
    let recvStarted!: () => void;
    const started = new Promise<void>((r) => (recvStarted = r));
    server = await startScriptedServer({
      open: (_req, res) =>
        void res.writeHead(200, { 'content-type': 'application/json' }).end(openReply('S1', ['Q'])),
      recv: (req) => {
        // A long poll with no data: send nothing at all, as the real server does.
        req.socket.on('close', () => (closedAt = Date.now()));
        recvStarted();
      },
    });
    client = new HmbClient(`${server.url}/b`, { transport: makeTransport(), heartbeat: 0 });
    const sub = client.subscribe({ queue: { Q: {} } }).subscribe();
    await started;
    const before = Date.now();
    sub.unsubscribe();
    await new Promise((r) => setTimeout(r, 200));
    expect(closedAt).toBeGreaterThanOrEqual(before);
    expect(closedAt - before).toBeLessThan(200);
  });

  it('transport: an empty 200 (server shutting down) means reconnect, not an error', async () => {
    let opens = 0;
    server = await startScriptedServer({
      open: (_req, res) => {
        opens++;
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(openReply(`S${opens}`, ['Q']));
      },
      recv: (req, res) => {
        if (req.url?.includes('/S1')) {
          res
            .writeHead(200, {
              'content-type': 'application/json',
              'content-length': '0',
              connection: 'close',
            })
            .end();
        } else {
          res.writeHead(200, { 'content-type': 'application/json' }).end(jsonMessages(0, 3, true));
        }
      },
    });
    client = new HmbClient(`${server.url}/b`, {
      transport: makeTransport(),
      heartbeat: 0,
      retry: { initialDelayMs: 10 },
    });
    const got = await lastValueFrom(
      client.recvAll({ queue: { Q: { seq: 0 } } }).pipe(toArray(), timeout(5000)),
    );
    expect(got.map((m) => m.seq)).toEqual([0, 1, 2]);
    expect(opens).toBe(2);
  });

  it('transport: a truncated BSON document is a typed decode error; with retries the subscription reopens from the last good seq', async () => {
    const good = bsonMessages(0, 3, false);
    const rest = bsonMessages(3, 2, true);
    const bus = await startTwoAnswerBus(
      Buffer.concat([good, rest.subarray(0, 10)]),
      Buffer.concat([good, rest]),
      3,
    );
    const noRetry = new HmbClient(`${bus.url}/b`, {
      format: 'bson',
      transport: makeTransport(),
      heartbeat: 0,
    });
    const error = await lastValueFrom(
      noRetry.recvAll({ queue: { Q: { seq: 0 } } }, { retry: false }),
    ).catch((e: unknown) => e);
    await noRetry.close();
    expect(isHmbError(error, 'HMB_ERR_DECODE')).toBe(true);

    bus.reset();
    // The body is cut: its framing fails before anything of it is delivered, and the reopen asks
    // from the first seq not delivered.
    expect(await readWithRetries(bus.url)).toEqual([0, 1, 2, 3, 4]);
    expect(bus.openSeqs()).toEqual([0, 0]);
  });

  it('transport: a poll answer with a corrupt document delivers the messages before it once; the reopen asks from the next seq', async () => {
    const good = bsonMessages(0, 2, false);
    const corrupt = bsonMessages(2, 1, false);
    // Right length, but an element type inside the payload that no BSON reader knows.
    corrupt[corrupt.indexOf(Buffer.from('data\0')) + 'data'.length + 1 + 4] = 0x99;
    const bus = await startTwoAnswerBus(
      Buffer.concat([good, corrupt]),
      bsonMessages(2, 3, true),
      2,
    );
    // BSON poll answers are decoded as they are delivered: the two good messages went out before
    // the corrupt one was reached, so the second session starts after them, and nothing repeats.
    expect(await readWithRetries(bus.url)).toEqual([0, 1, 2, 3, 4]);
    expect(bus.openSeqs()).toEqual([0, 2]);
  });

  it('transport: a JSON poll answer with an invalid message delivers the messages before it once; the reopen asks from the next seq', async () => {
    // Valid JSON and a valid list, but its third message has no seq: no server sends that.
    const first = Buffer.from(
      jsonMessages(0, 2, false)
        .toString('utf8')
        .replace(/}$/, ',"2":{"type":"T","queue":"Q","data":{}}}'),
    );
    const bus = await startTwoAnswerBus(first, jsonMessages(2, 3, true), 2, 'json');
    // JSON poll answers are parsed whole, but each frame is made when it is delivered: the two
    // good messages went out before the invalid one was reached, and nothing repeats.
    expect(await readWithRetries(bus.url, 'json')).toEqual([0, 1, 2, 3, 4]);
    expect(bus.openSeqs()).toEqual([0, 2]);
  });

  it('transport: a server that is down is retried with backoff, reported through the state, and given up after exactly maxAttempts (4) attempts', async () => {
    server = await startScriptedServer({});
    const url = server.url;
    await server.close();
    server = undefined;
    const states: string[] = [];
    client = new HmbClient(`${url}/b`, {
      transport: makeTransport(),
      heartbeat: 0,
      retry: { initialDelayMs: 5, maxAttempts: 4 },
    });
    const error = await lastValueFrom(
      client.subscribe({ queue: { Q: {} } }, { onState: (s) => states.push(s.type) }),
    ).catch((e: unknown) => e);
    expect(isHmbError(error, 'HMB_ERR_NETWORK')).toBe(true);
    expect(states).toEqual([
      'opening',
      'lost',
      'resuming',
      'opening',
      'lost',
      'resuming',
      'opening',
      'lost',
      'resuming',
      'opening',
      'closed',
    ]);
  });

  it('transport: info() through a server answering garbage is a typed decode error', async () => {
    server = await startScriptedServer({
      info: (_req, res) =>
        void res.writeHead(200, { 'content-type': 'application/json' }).end('<html>oops</html>'),
    });
    client = new HmbClient(`${server.url}/b`, {
      transport: makeTransport(),
      retry: { maxAttempts: 1 },
    });
    const error = await firstValueFrom(client.info()).catch((e: unknown) => e);
    expect(isHmbError(error, 'HMB_ERR_DECODE')).toBe(true);
  });

  it('transport: heartbeats inside a poll answer are seen by subscribe({heartbeats:true})', async () => {
    server = await startScriptedServer({
      open: (_req, res) =>
        void res.writeHead(200, { 'content-type': 'application/json' }).end(openReply('S1', ['Q'])),
      recv: (_req, res) =>
        void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"0":{"type":"HEARTBEAT"}}'),
    });
    client = new HmbClient(`${server.url}/b`, { transport: makeTransport(), heartbeat: 0 });
    const got = await firstValueFrom(
      client.subscribe({ queue: { Q: {} } }, { heartbeats: true }).pipe(take(3), toArray()),
    );
    expect(got.every((f) => f.kind === 'heartbeat')).toBe(true);
  });
});
