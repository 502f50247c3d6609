// Plain HTTP helpers for the embedded server's own specs. They speak the wire protocol directly
// (undici requests, raw TCP) and never go through the hmb-rx client, so the server is tested
// against the protocol notes and not against our own client's assumptions.
import { deserialize, serialize, type DeserializeOptions, type Document } from 'bson';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { Agent, request } from 'undici';
import { startHmbServer, type HmbServerHandle, type HmbServerOptions } from '../../src/server';

/** A response with its body read. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
  readonly text: string;
}

/** Options of {@link rawRequest}. */
export interface RawRequestOptions {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS' | 'HEAD' | 'PATCH';
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer | AsyncIterable<Buffer>;
  readonly signal?: AbortSignal;
  readonly dispatcher?: Agent;
}

/** One HTTP request with undici; the body is read whole. */
export async function rawRequest(
  url: string,
  options: RawRequestOptions = {},
): Promise<RawResponse> {
  const res = await request(url, {
    method: options.method ?? 'GET',
    headers: options.headers ?? {},
    body:
      options.body === undefined
        ? null
        : typeof options.body === 'string' || Buffer.isBuffer(options.body)
          ? options.body
          : Readable.from(options.body),
    signal: options.signal ?? null,
    ...(options.dispatcher === undefined ? {} : { dispatcher: options.dispatcher }),
  });
  const body = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, headers: res.headers, body, text: body.toString('utf8') };
}

/**
 * Documents back to back (a BSON /recv or /stream body) as js-bson documents, decoded with
 * `options` (by default every number keeps its BSON type).
 */
export function decodeBsonDocs(
  buf: Buffer,
  options: DeserializeOptions = { promoteLongs: false, promoteValues: false },
): Document[] {
  const docs: Document[] = [];
  let p = 0;
  while (p + 4 <= buf.length) {
    const size = buf.readInt32LE(p);
    docs.push(deserialize(buf.subarray(p, p + size), options));
    p += size;
  }
  return docs;
}

/**
 * The documents of `queue` as the bus stores them, EOF left out: a BSON session from seq 0
 * (`keep: false`) and one /recv, decoded with {@link decodeBsonDocs} and `options`. Plain HTTP, so
 * what the bus holds is seen without the client's decoding.
 */
export async function storedDocs(
  busUrl: string,
  queue: string,
  options?: DeserializeOptions,
): Promise<Document[]> {
  const open = await rawRequest(`${busUrl}/open`, {
    method: 'POST',
    headers: { 'content-type': 'application/bson' },
    body: Buffer.from(serialize({ queue: { [queue]: { seq: 0, keep: false } } })),
  });
  const { sid } = deserialize(open.body) as { sid: string };
  const answer = await rawRequest(`${busUrl}/recv/${sid}`);
  return decodeBsonDocs(answer.body, options).filter((doc) => doc['type'] !== 'EOF');
}

/** The frames of a JSON /recv body (`{"0":…,"1":…}`) in key order. */
export function jsonFrames(text: string): Array<Record<string, unknown>> {
  const list = JSON.parse(text) as Record<string, Record<string, unknown>>;
  const out: Array<Record<string, unknown>> = [];
  for (let i = 0; list[i] !== undefined; i++) out.push(list[i]!);
  expect(out.length).toBe(Object.keys(list).length);
  return out;
}

/** The acknowledgement of an /open. */
export interface OpenAck {
  readonly sid: string;
  readonly cid: string;
  readonly queue: Record<string, { seq: number | null; error: string | null }>;
}

/**
 * A started server plus one bus on it, with helpers for every method in both formats. Each test
 * makes its own and closes it in afterEach (see {@link useTestBuses}).
 */
export class TestBus {
  private constructor(
    readonly server: HmbServerHandle,
    readonly name: string,
    /** The client connection pool, shared by every bus of the same server. */
    readonly agent: Agent,
  ) {}

  static async start(options: HmbServerOptions = {}, name = 'test'): Promise<TestBus> {
    const server = await startHmbServer({ port: 0, ...options });
    return new TestBus(server, name, new Agent({ keepAliveTimeout: 10_000, connections: 32 }));
  }

  /** The bus URL, e.g. `http://127.0.0.1:PORT/test`. */
  get url(): string {
    return `${this.server.url}/${this.name}`;
  }

  /** The same server under another bus name. */
  other(name: string): TestBus {
    return new TestBus(this.server, name, this.agent);
  }

  req(path: string, options: RawRequestOptions = {}): Promise<RawResponse> {
    return rawRequest(`${this.url}${path}`, { dispatcher: this.agent, ...options });
  }

  async getJson<T>(method: 'features' | 'info' | 'status'): Promise<T> {
    const res = await this.req(`/${method}`);
    expect(res.status).toBe(200);
    return JSON.parse(res.text) as T;
  }

  /** POST /open with a JSON body (an object, or raw text). */
  openRaw(body: unknown, contentType = 'application/json'): Promise<RawResponse> {
    const text = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    return this.req('/open', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: text,
    });
  }

  /** A JSON /open that must succeed. */
  async open(params: unknown = {}): Promise<OpenAck> {
    const res = await this.openRaw(params);
    if (res.status !== 200) throw new Error(`open failed: ${res.status} ${res.text}`);
    return JSON.parse(res.text) as OpenAck;
  }

  /** A BSON /open (js-bson document); returns the raw response. */
  openBsonRaw(params: Document | Buffer, contentType = 'application/bson'): Promise<RawResponse> {
    const body = Buffer.isBuffer(params) ? params : Buffer.from(serialize(params));
    return this.req('/open', { method: 'POST', headers: { 'content-type': contentType }, body });
  }

  /** A BSON /open that must succeed; the ack decoded with plain numbers. */
  async openBson(params: Document = {}): Promise<OpenAck> {
    const res = await this.openBsonRaw(params);
    if (res.status !== 200) throw new Error(`open failed: ${res.status} ${res.text}`);
    return deserialize(res.body) as OpenAck;
  }

  /** POST /send with JSON: an array of messages becomes `{"0":…}`; a string is sent as is. */
  sendJson(sid: string, messages: readonly unknown[] | string): Promise<RawResponse> {
    const body =
      typeof messages === 'string'
        ? messages
        : JSON.stringify(Object.fromEntries(messages.map((m, i) => [String(i), m])));
    return this.req(`/send/${sid}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
  }

  /** POST /send with BSON documents back to back (or raw bytes). */
  sendBson(sid: string, docs: readonly Document[] | Buffer): Promise<RawResponse> {
    const body = Buffer.isBuffer(docs)
      ? docs
      : Buffer.concat(docs.map((d) => Buffer.from(serialize(d))));
    return this.req(`/send/${sid}`, {
      method: 'POST',
      headers: { 'content-type': 'application/bson' },
      body,
    });
  }

  /** A JSON send that must succeed. */
  async send(sid: string, messages: readonly unknown[]): Promise<void> {
    const res = await this.sendJson(sid, messages);
    if (res.status !== 204) throw new Error(`send failed: ${res.status} ${res.text}`);
  }

  /** A sender session (cid `snd`) that has sent `messages`. */
  async seed(messages: readonly unknown[], cid = 'snd'): Promise<string> {
    const { sid } = await this.open({ cid });
    if (messages.length > 0) await this.send(sid, messages);
    return sid;
  }

  /** GET /recv/{sid}[suffix]. */
  recv(sid: string, suffix = '', signal?: AbortSignal): Promise<RawResponse> {
    return this.req(`/recv/${sid}${suffix}`, signal === undefined ? {} : { signal });
  }

  /** Frames of a JSON /recv that must answer 200. */
  async recvJson(sid: string, suffix = ''): Promise<Array<Record<string, unknown>>> {
    const res = await this.recv(sid, suffix);
    if (res.status !== 200) throw new Error(`recv failed: ${res.status} ${res.text}`);
    return jsonFrames(res.text);
  }

  /**
   * Receives with continuity until EOF (keep:false sessions), returning every frame but EOF and
   * checking that EOF came.
   */
  async recvAll(sid: string, maxCalls = 1000): Promise<Array<Record<string, unknown>>> {
    const out: Array<Record<string, unknown>> = [];
    let suffix = '';
    for (let i = 0; i < maxCalls; i++) {
      for (const frame of await this.recvJson(sid, suffix)) {
        if (frame['type'] === 'EOF') return out;
        out.push(frame);
        if (frame['type'] !== 'HEARTBEAT')
          suffix = `/${frame['queue'] as string}/${frame['seq'] as number}`;
      }
    }
    throw new Error('no EOF');
  }

  private closing: Promise<void> | undefined;

  /** Closes the server and this bus's client agent (idempotent). */
  close(): Promise<void> {
    return (this.closing ??= (async () => {
      await this.server.close();
      await this.agent.close();
    })());
  }
}

/**
 * Registers an afterEach that closes every {@link TestBus} started through the returned function.
 */
export function useTestBuses(): (options?: HmbServerOptions, name?: string) => Promise<TestBus> {
  const started: TestBus[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((b) => b.close()));
  });
  return async (options, name) => {
    const bus = await TestBus.start(options, name);
    started.push(bus);
    return bus;
  };
}

/** What a raw socket saw: the bytes and when each chunk arrived (ms since the request). */
export interface SocketCapture {
  readonly data: Buffer;
  readonly chunks: ReadonlyArray<{ readonly atMs: number; readonly bytes: Buffer }>;
  readonly closed: boolean;
}

/**
 * Sends raw request bytes over a new TCP connection and records what comes back for `waitMs` (or
 * until the server closes the connection), to prove what is, or is not, written on the wire.
 */
export function rawSocket(
  port: number,
  requestBytes: string | Buffer,
  waitMs: number,
): Promise<SocketCapture> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const start = Date.now();
    const chunks: Array<{ atMs: number; bytes: Buffer }> = [];
    let closed = false;
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ data: Buffer.concat(chunks.map((c) => c.bytes)), chunks, closed });
    };
    const timer = setTimeout(done, waitMs);
    socket.on('connect', () => socket.write(requestBytes));
    socket.on('data', (bytes: Buffer) => chunks.push({ atMs: Date.now() - start, bytes }));
    socket.on('end', () => {
      closed = true;
      done();
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A message as a test sends it. */
export function msg(queue: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'T', queue, ...extra };
}

/** `n` messages to `queue` with data `{i}`. */
export function msgs(
  queue: string,
  n: number,
  extra: (i: number) => Record<string, unknown> = () => ({}),
): Array<Record<string, unknown>> {
  return Array.from({ length: n }, (_, i) => msg(queue, { data: { i }, ...extra(i) }));
}

/** Splits a body into chunks at the given cut points, for chunked uploads. */
export async function* chunksOf(body: Buffer, cuts: readonly number[]): AsyncIterable<Buffer> {
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    if (cut <= from || cut >= body.length) continue;
    yield body.subarray(from, cut);
    from = cut;
  }
  yield body.subarray(from);
}
