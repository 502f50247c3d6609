import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { Agent } from 'undici';
import { UndiciTransport } from '../../src/node';
import { isHmbError } from '../../src/errors/hmb-error';
import type { HmbTransportRequest } from '../../src/transport/transport';
import { sleep } from '../helpers/collect';

// Requests whose body the caller reads whole (`whole: true`, every exchange but /stream) go
// through undici's dispatch API with a handler that gathers the body, not through a Readable.
// These tests hold that path to what the stream path guaranteed: the bytes, the bounds (declared
// and read, plain and compressed), aborts at every point, cut connections, and kept-alive
// connections afterwards. All against a real HTTP server on 127.0.0.1.

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server | undefined;
let transport: UndiciTransport | undefined;
const sockets = new Set<Socket>();
let connections = 0;

async function serve(handler: Handler): Promise<string> {
  server = createServer(handler);
  server.on('connection', (socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await transport?.close();
  transport = undefined;
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) =>
    server === undefined ? resolve() : server.close(() => resolve()),
  );
  server = undefined;
  connections = 0;
});

function wholeRequest(url: string, extra: Partial<HmbTransportRequest> = {}): HmbTransportRequest {
  return {
    method: 'GET',
    url,
    headers: {},
    signal: new AbortController().signal,
    maxBodyBytes: 1024 * 1024,
    whole: true,
    ...extra,
  };
}

async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (error: unknown) => error,
  );
}

describe('whole-body requests (undici transport, dispatch)', () => {
  it('gathers a body written in many pieces into one Buffer, and a 204 into an empty one', async () => {
    const pieces = Array.from({ length: 50 }, (_, i) => `piece ${i};`.repeat(100));
    const url = await serve((req, res) => {
      if (req.url === '/empty') {
        res.writeHead(204).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      let i = 0;
      const next = (): void => {
        if (i === pieces.length) {
          res.end();
          return;
        }
        res.write(pieces[i++]);
        setImmediate(next);
      };
      next();
    });
    transport = new UndiciTransport();
    const response = await transport.request(wholeRequest(`${url}/many`));
    expect(response.status).toBe(200);
    expect(response.header('Content-Type')).toBe('application/json');
    const bytes = await response.bytes!();
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(Buffer.from(bytes).toString()).toBe(pieces.join(''));

    for (let i = 0; i < 10; i++) {
      const empty = await transport.request(wholeRequest(`${url}/empty`, { method: 'POST' }));
      expect(empty.status).toBe(204);
      expect((await empty.bytes!()).length).toBe(0);
    }
    // Kept-alive connections, not one per request (undici waits a turn of the event loop before
    // it reuses a connection, so back-to-back requests alternate between two).
    expect(connections).toBeLessThanOrEqual(2);
  });

  it('the body iterable yields the same bytes when a caller reads it anyway', async () => {
    const url = await serve((_req, res) => void res.writeHead(200).end('hello'));
    transport = new UndiciTransport();
    const response = await transport.request(wholeRequest(url));
    const chunks: Uint8Array[] = [];
    for await (const chunk of response.body) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString()).toBe('hello');
  });

  it('a body announced over maxBodyBytes fails with HmbTooLargeError and its connection is closed', async () => {
    let bigClosed: Promise<void> | undefined;
    const url = await serve((req, res) => {
      if (req.url === '/big') {
        bigClosed = new Promise((resolve) => req.socket.once('close', () => resolve()));
        res.writeHead(200, { 'content-length': String(4096) });
        res.write('x'.repeat(1024)); // and never the rest
        return;
      }
      res.writeHead(200).end('ok');
    });
    transport = new UndiciTransport();
    const response = await transport.request(wholeRequest(`${url}/big`, { maxBodyBytes: 2048 }));
    expect(response.status).toBe(200);
    const error = await failureOf(response.bytes!());
    expect(isHmbError(error, 'HMB_ERR_TOO_LARGE')).toBe(true);
    expect(error).toMatchObject({ limit: 2048, limitKind: 'response' });
    // The half-read connection is dropped, not left waiting for the rest; the next request works.
    await bigClosed;
    const next = await transport.request(wholeRequest(`${url}/small`));
    expect(Buffer.from(await next.bytes!()).toString()).toBe('ok');
  });

  it('an endless chunked body stops at maxBodyBytes with HmbTooLargeError', async () => {
    let written = 0;
    const url = await serve((_req, res) => {
      res.writeHead(200);
      const more = (): void => {
        if (res.destroyed) return;
        written += 1024;
        res.write('y'.repeat(1024));
        setImmediate(more);
      };
      more();
    });
    transport = new UndiciTransport();
    const response = await transport.request(wholeRequest(url, { maxBodyBytes: 64 * 1024 }));
    const error = await failureOf(response.bytes!());
    expect(isHmbError(error, 'HMB_ERR_TOO_LARGE')).toBe(true);
    await sleep(50);
    const stoppedAt = written;
    await sleep(100);
    // The server's writes stopped with the connection.
    expect(written - stoppedAt).toBeLessThan(64 * 1024);
  });

  it('a gzip body is decompressed, and a compression bomb stops at the limit', async () => {
    const text = 'quake '.repeat(10_000);
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024));
    const url = await serve((req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(req.url === '/bomb' ? bomb : gzipSync(text));
    });
    transport = new UndiciTransport();
    const fine = await transport.request(wholeRequest(`${url}/text`));
    expect(Buffer.from(await fine.bytes!()).toString()).toBe(text);
    const response = await transport.request(wholeRequest(`${url}/bomb`));
    const error = await failureOf(response.bytes!());
    expect(isHmbError(error, 'HMB_ERR_TOO_LARGE')).toBe(true);
  });

  it('a corrupt gzip body fails bytes() with HmbNetworkError', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(Buffer.from('this is not gzip at all'));
    });
    transport = new UndiciTransport();
    const response = await transport.request(wholeRequest(url));
    const error = await failureOf(response.bytes!());
    expect(isHmbError(error, 'HMB_ERR_NETWORK')).toBe(true);
  });

  it('goes through the dispatcher the transport was given', async () => {
    const url = await serve((_req, res) => void res.writeHead(200).end('via yours'));
    const agent = new Agent();
    let dispatched = 0;
    const counting = agent.compose((dispatch) => (options, handler) => {
      dispatched++;
      return dispatch(options, handler);
    });
    transport = new UndiciTransport({ dispatcher: counting });
    try {
      const response = await transport.request(wholeRequest(`${url}/b/info`));
      expect(Buffer.from(await response.bytes!()).toString()).toBe('via yours');
      expect(dispatched).toBe(1);
    } finally {
      await agent.close();
    }
  });

  it('aborting before the head rejects the request with the reason; aborting during the body rejects bytes() with it', async () => {
    const url = await serve((req, res) => {
      if (req.url === '/head') return; // never answers
      res.writeHead(200);
      res.write('part'); // and never the rest
    });
    transport = new UndiciTransport();
    const early = new AbortController();
    const pending = transport.request(wholeRequest(`${url}/head`, { signal: early.signal }));
    await sleep(20);
    const reason = new Error('gave up');
    early.abort(reason);
    expect(await failureOf(pending)).toBe(reason);

    const late = new AbortController();
    const response = await transport.request(wholeRequest(`${url}/body`, { signal: late.signal }));
    const body = response.bytes!();
    await sleep(20);
    const later = new Error('gave up on the body');
    late.abort(later);
    expect(await failureOf(body)).toBe(later);

    const already = new AbortController();
    already.abort(reason);
    expect(
      await failureOf(transport.request(wholeRequest(`${url}/head`, { signal: already.signal }))),
    ).toBe(reason);
  });

  it('a connection cut in the middle of the body fails bytes() with HmbNetworkError', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('only part of it');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    transport = new UndiciTransport();
    const response = await transport.request(wholeRequest(url));
    const error = await failureOf(response.bytes!());
    expect(isHmbError(error, 'HMB_ERR_NETWORK')).toBe(true);
  });

  it('a refused connection rejects the request with HmbNetworkError naming it', async () => {
    const url = await serve((_req, res) => void res.end());
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    transport = new UndiciTransport();
    const error = await failureOf(transport.request(wholeRequest(`${url}/b/open`)));
    expect(isHmbError(error, 'HMB_ERR_NETWORK')).toBe(true);
    expect((error as Error).message).toContain(`GET ${url}/b/open`);
  });
});
