import type { ServerResponse } from 'node:http';
import { deflateSync, gzipSync } from 'node:zlib';
import { BSON } from 'bson';
import { lastValueFrom } from 'rxjs';
import { HmbClient } from '../../src/node';
import { isHmbError } from '../../src/errors/hmb-error';
import { HmbTooLargeError } from '../../src/errors/too-large-error';
import { startScriptedServer, type ScriptedServer } from '../helpers/scripted-server';
import { TRANSPORTS } from '../helpers/transports';

// The limits are small so that each attack is over in a moment; the defaults are 64 MiB.
const LIMIT = 1024 * 1024;
const MiB = 1024 * 1024;
// What the client may hold beyond the limit: a few transport chunks, zlib's window, decoder state.
const MAX_GROWTH_MIB = 48;

// Built once for both transports (compressing 64 MiB takes a second or two).
let deflateBomb: Buffer | undefined;
let server: ScriptedServer | undefined;
let client: HmbClient | undefined;

afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

function openAck(res: ServerResponse, format: 'json' | 'bson'): void {
  const ack = { sid: 'AAAAAAAAAAAAAAAA', cid: 'c', queue: { Q: { seq: 0, error: null } } };
  if (format === 'json') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(ack));
  } else {
    res.writeHead(200, { 'content-type': 'application/bson' }).end(BSON.serialize(ack));
  }
}

/** The start of a message whose string never ends, then `x` for ever. */
const ENDLESS_JSON_HEAD = Buffer.from('{"0":{"type":"T","queue":"Q","seq":0,"data":"');
const FILLER = Buffer.alloc(64 * 1024, 'x');

/**
 * Writes `head`, then `filler` for ever (honouring backpressure), until the client goes away.
 * Resolves with the bytes written.
 */
function writeEndlessly(res: ServerResponse, head: Buffer, filler: Buffer): Promise<number> {
  return new Promise((resolve) => {
    let written = 0;
    let done = false;
    const finish = (): void => {
      done = true;
      resolve(written);
    };
    res.on('close', finish);
    const pump = (): void => {
      while (!done) {
        written += filler.length;
        if (!res.write(filler)) {
          res.once('drain', pump);
          return;
        }
      }
    };
    written += head.length;
    res.write(head);
    pump();
  });
}

/** Samples heap plus array buffers every 5 ms while `run` runs; resolves with its peak growth. */
async function peakGrowthMiB(run: () => Promise<unknown>): Promise<number> {
  const used = (): number => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const base = used();
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, used())), 5);
  try {
    await run();
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, used());
  return (peak - base) / MiB;
}

/** Subscribes until the subscription fails; resolves with the error. */
async function failureOf(c: HmbClient, mode: 'poll' | 'stream', retry = true): Promise<unknown> {
  try {
    await lastValueFrom(
      c.subscribe(
        { queue: { Q: { seq: 0 } }, heartbeat: 0 },
        retry ? { transport: mode } : { transport: mode, retry: false },
      ),
    );
  } catch (error) {
    return error;
  }
  throw new Error('the subscription ended without an error');
}

function report(what: string, growth: number, written: number): void {
  if (process.env['HMB_HOSTILE_REPORT'] !== undefined) {
    process.stdout.write(
      `${what}: heap growth ${growth.toFixed(1)} MiB, server wrote ${(written / MiB).toFixed(1)} MiB\n`,
    );
  }
}

describe.each(TRANSPORTS)('a hostile server cannot fill the client memory (%s)', (name, make) => {
  it('an endless /recv body ends with HMB_ERR_TOO_LARGE at maxResponseBytes', async () => {
    let written: Promise<number> = Promise.resolve(0);
    server = await startScriptedServer({
      open: (_req, res) => openAck(res, 'json'),
      recv: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        written = writeEndlessly(res, ENDLESS_JSON_HEAD, FILLER);
      },
    });
    client = new HmbClient(`${server.url}/bus`, { transport: make(), maxResponseBytes: LIMIT });
    let error: unknown;
    const growth = await peakGrowthMiB(async () => (error = await failureOf(client!, 'poll')));
    expect(error).toBeInstanceOf(HmbTooLargeError);
    expect(error).toMatchObject({ code: 'HMB_ERR_TOO_LARGE', limit: LIMIT, limitKind: 'response' });
    report(`${name} endless /recv`, growth, await written);
    expect(growth).toBeLessThan(MAX_GROWTH_MIB);
    // One /recv only: the error is not retried (a hostile server would only repeat it).
    expect(server.requests.filter((r) => r.includes('/recv/'))).toHaveLength(1);
  });

  it('an endless JSON /stream frame ends with HMB_ERR_TOO_LARGE at maxFrameBytes', async () => {
    let written: Promise<number> = Promise.resolve(0);
    server = await startScriptedServer({
      open: (_req, res) => openAck(res, 'json'),
      stream: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        // One good message first: the bound is per frame, not per stream.
        const first = Buffer.from(
          '{"0":{"type":"T","queue":"Q","seq":0},"1":{"type":"T","queue":"Q","seq":1,"data":"',
        );
        written = writeEndlessly(res, first, FILLER);
      },
    });
    client = new HmbClient(`${server.url}/bus`, { transport: make(), maxFrameBytes: LIMIT });
    let error: unknown;
    const growth = await peakGrowthMiB(async () => (error = await failureOf(client!, 'stream')));
    expect(error).toMatchObject({ code: 'HMB_ERR_TOO_LARGE', limit: LIMIT, limitKind: 'frame' });
    report(`${name} endless JSON frame`, growth, await written);
    expect(growth).toBeLessThan(MAX_GROWTH_MIB);
  });

  it('an endless BSON /stream frame ends with HMB_ERR_TOO_LARGE as soon as its length says so', async () => {
    let written: Promise<number> = Promise.resolve(0);
    server = await startScriptedServer({
      open: (_req, res) => openAck(res, 'bson'),
      stream: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/bson' });
        const good = Buffer.from(BSON.serialize({ type: 'T', queue: 'Q', seq: 0 }));
        // A document that announces 8 MiB and never ends.
        const prefix = Buffer.alloc(4);
        prefix.writeInt32LE(8 * MiB);
        written = writeEndlessly(res, Buffer.concat([good, prefix]), FILLER);
      },
    });
    client = new HmbClient(`${server.url}/bus`, {
      transport: make(),
      format: 'bson',
      maxFrameBytes: LIMIT,
    });
    let error: unknown;
    const growth = await peakGrowthMiB(async () => (error = await failureOf(client!, 'stream')));
    expect(error).toMatchObject({ code: 'HMB_ERR_TOO_LARGE', limitKind: 'frame' });
    report(`${name} endless BSON frame`, growth, await written);
    expect(growth).toBeLessThan(MAX_GROWTH_MIB);
  });

  it('an endless BSON frame within the 16 MiB document limit is bounded without any option', async () => {
    server = await startScriptedServer({
      open: (_req, res) => openAck(res, 'bson'),
      stream: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/bson' });
        const prefix = Buffer.alloc(4);
        prefix.writeInt32LE(4 * MiB);
        // 4 MiB of zeros is not a BSON document: the frame is decoded (and refused) at its end.
        void writeEndlessly(res, prefix, Buffer.alloc(64 * 1024));
      },
    });
    client = new HmbClient(`${server.url}/bus`, { transport: make(), format: 'bson' });
    let error: unknown;
    const growth = await peakGrowthMiB(
      async () => (error = await failureOf(client!, 'stream', false)),
    );
    expect(isHmbError(error, 'HMB_ERR_DECODE')).toBe(true);
    expect(growth).toBeLessThan(MAX_GROWTH_MIB);
  });

  it('a gzip bomb (about 3 MB inflating to 3 GiB) ends with HMB_ERR_TOO_LARGE', async () => {
    // Concatenated gzip members are one valid gzip body: one member holds the message head and
    // 16 MiB of filler, the others 16 MiB of filler each.
    const member = gzipSync(Buffer.alloc(16 * MiB, 'x'), { level: 9 });
    const head = gzipSync(Buffer.concat([ENDLESS_JSON_HEAD, Buffer.alloc(16 * MiB, 'x')]));
    const bomb = Buffer.concat([head, ...Array.from({ length: 191 }, () => member)]);
    server = await startScriptedServer({
      open: (_req, res) => openAck(res, 'json'),
      recv: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        res.end(bomb);
      },
    });
    client = new HmbClient(`${server.url}/bus`, { transport: make(), maxResponseBytes: LIMIT });
    let error: unknown;
    const growth = await peakGrowthMiB(async () => (error = await failureOf(client!, 'poll')));
    expect(error).toMatchObject({ code: 'HMB_ERR_TOO_LARGE', limitKind: 'response' });
    report(`${name} gzip bomb of ${(bomb.length / MiB).toFixed(1)} MiB`, growth, bomb.length);
    expect(bomb.length).toBeGreaterThan(2 * MiB);
    expect(growth).toBeLessThan(MAX_GROWTH_MIB);
  });

  it('a deflate bomb ends with HMB_ERR_TOO_LARGE', async () => {
    deflateBomb ??= deflateSync(Buffer.concat([ENDLESS_JSON_HEAD, Buffer.alloc(64 * MiB, 'x')]));
    const bomb = deflateBomb;
    server = await startScriptedServer({
      open: (_req, res) => openAck(res, 'json'),
      recv: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'deflate' });
        res.end(bomb);
      },
    });
    client = new HmbClient(`${server.url}/bus`, { transport: make(), maxResponseBytes: LIMIT });
    let error: unknown;
    const growth = await peakGrowthMiB(async () => (error = await failureOf(client!, 'poll')));
    expect(error).toMatchObject({ code: 'HMB_ERR_TOO_LARGE', limitKind: 'response' });
    report(`${name} deflate bomb`, growth, bomb.length);
    expect(growth).toBeLessThan(MAX_GROWTH_MIB);
  });

  it('a Content-Length over the limit fails before the body is read', async () => {
    server = await startScriptedServer({
      open: (_req, res) => openAck(res, 'json'),
      recv: (_req, res) => {
        res.writeHead(200, {
          'content-type': 'application/json',
          'content-length': String(8 * MiB),
        });
        res.write(ENDLESS_JSON_HEAD);
        // The rest never comes: waiting for it would hang.
      },
    });
    client = new HmbClient(`${server.url}/bus`, { transport: make(), maxResponseBytes: LIMIT });
    const error = await failureOf(client, 'poll');
    expect(error).toMatchObject({ code: 'HMB_ERR_TOO_LARGE', limitKind: 'response' });
  });

  it('answers within the limits are read as before', async () => {
    server = await startScriptedServer({
      open: (_req, res) => openAck(res, 'json'),
      recv: (_req, res) => {
        const big = 'y'.repeat(LIMIT / 2);
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(`{"0":{"type":"T","queue":"Q","seq":0,"data":"${big}"},"1":{"type":"EOF"}}`);
      },
    });
    client = new HmbClient(`${server.url}/bus`, { transport: make(), maxResponseBytes: LIMIT });
    const last = await lastValueFrom(client.subscribe({ queue: { Q: { seq: 0, keep: false } } }));
    expect(last.seq).toBe(0);
    expect((last.data as string).length).toBe(LIMIT / 2);
  });
});
