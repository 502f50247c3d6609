// The baselines of the receive benchmarks: the same /open, /recv and /stream exchanges as the
// library, made with undici `request` directly. "bytes" only counts the body (it finds the
// continuity suffix by searching the end of each answer); "decode" also decodes every message
// (`JSON.parse` of each answer, `BSON.deserialize` of each document) and nothing more.
import { deserialize, serialize } from 'bson';
import { Agent, request } from 'undici';

/** What a raw reader read. */
export interface RawRead {
  readonly messages: number;
  readonly bytes: number;
}

/** Wire formats. */
export type Format = 'json' | 'bson';

const EOF_JSON = Buffer.from('{"type":"EOF"}}');
const EOF_BSON = Buffer.from(serialize({ type: 'EOF' }));
const SEQ_JSON = Buffer.from('"seq":');
// An int64 element named seq: type 0x12, "seq", NUL.
const SEQ_BSON = Buffer.from([0x12, 0x73, 0x65, 0x71, 0x00]);
// The library's options (src/protocol/bson-codec.ts).
const BSON_OPTIONS = { promoteLongs: true, promoteValues: true, promoteBuffers: false } as const;

interface WireFrame {
  type: string;
  queue?: string;
  seq?: number;
}

/** A raw HMB reader on its own keep-alive pool. */
export class RawReader {
  private readonly agent = new Agent({
    keepAliveTimeout: 60_000,
    headersTimeout: 0,
    bodyTimeout: 0,
  });

  constructor(private readonly busUrl: string) {}

  /** POST /open, JSON or BSON; returns the sid. */
  async open(params: object, format: Format): Promise<string> {
    const res = await request(`${this.busUrl}/open`, {
      method: 'POST',
      dispatcher: this.agent,
      headers: { 'content-type': format === 'json' ? 'application/json' : 'application/bson' },
      body: format === 'json' ? JSON.stringify(params) : serialize(params),
    });
    const body = Buffer.from(await res.body.arrayBuffer());
    if (res.statusCode !== 200) throw new Error(`/open: ${res.statusCode} ${body.toString()}`);
    const ack = (format === 'json' ? JSON.parse(body.toString()) : deserialize(body)) as {
      sid: string;
    };
    return ack.sid;
  }

  /** Reads one queue from seq 0 to EOF with /recv, counting bytes only. */
  async recvBytes(sid: string, queue: string, format: Format): Promise<RawRead> {
    let suffix = '';
    let bytes = 0;
    let lastSeq = -1;
    for (;;) {
      const res = await request(`${this.busUrl}/recv/${sid}${suffix}`, { dispatcher: this.agent });
      const tail = await countBody(res.body, (n) => (bytes += n));
      const seq = lastSeqIn(tail, format);
      if (seq !== undefined) {
        lastSeq = seq;
        suffix = `/${queue}/${seq}`;
      }
      if (endsWithEof(tail, format)) break;
      if (tail.length === 0) throw new Error('/recv: empty answer');
    }
    return { messages: lastSeq + 1, bytes };
  }

  /** Reads to EOF with /recv, decoding every answer. */
  async recvDecoded(sid: string, format: Format): Promise<RawRead> {
    let suffix = '';
    let bytes = 0;
    let messages = 0;
    for (;;) {
      const res = await request(`${this.busUrl}/recv/${sid}${suffix}`, { dispatcher: this.agent });
      const body = Buffer.from(await res.body.arrayBuffer());
      bytes += body.length;
      let eof = false;
      const visit = (m: WireFrame): void => {
        if (m.type === 'EOF') eof = true;
        else if (m.type !== 'HEARTBEAT') {
          messages++;
          suffix = `/${m.queue!}/${m.seq!}`;
        }
      };
      if (format === 'json') visitJsonList(body.toString('utf8'), visit);
      else visitBsonDocuments(body, 0, visit);
      if (eof) break;
      if (body.length === 0) throw new Error('/recv: empty answer');
    }
    return { messages, bytes };
  }

  /** Reads one /stream answer to its end, counting bytes only. */
  async streamBytes(sid: string, format: Format): Promise<RawRead> {
    let bytes = 0;
    const res = await request(`${this.busUrl}/stream/${sid}`, { dispatcher: this.agent });
    const tail = await countBody(res.body, (n) => (bytes += n));
    if (!endsWithEof(tail, format)) throw new Error('/stream: ended without EOF');
    return { messages: (lastSeqIn(tail, format) ?? -1) + 1, bytes };
  }

  /**
   * Reads one /stream answer to its end, decoding every message: BSON documents as they arrive
   * (only a document cut by a chunk boundary is copied), the JSON object once it is complete (a
   * JSON stream cannot be cut into messages without a scanner, which is what the library adds).
   */
  async streamDecoded(sid: string, format: Format): Promise<RawRead> {
    const res = await request(`${this.busUrl}/stream/${sid}`, { dispatcher: this.agent });
    let bytes = 0;
    let messages = 0;
    const visit = (m: WireFrame): void => {
      if (m.type !== 'EOF' && m.type !== 'HEARTBEAT') messages++;
    };
    if (format === 'json') {
      const body = Buffer.from(await res.body.arrayBuffer());
      bytes = body.length;
      visitJsonList(body.toString('utf8'), visit);
      return { messages, bytes };
    }
    let rest: Buffer | undefined;
    await new Promise<void>((resolve, reject) => {
      res.body.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        const buf = rest === undefined ? chunk : Buffer.concat([rest, chunk]);
        const end = visitBsonDocuments(buf, 0, visit);
        rest = end < buf.length ? buf.subarray(end) : undefined;
      });
      res.body.on('end', resolve);
      res.body.on('error', reject);
    });
    return { messages, bytes };
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** Reads a body through 'data' events, reporting sizes; resolves with its last ≥ 3 chunks. */
function countBody(body: NodeJS.ReadableStream, count: (n: number) => void): Promise<Buffer> {
  const tail: Buffer[] = [];
  return new Promise((resolve, reject) => {
    body.on('data', (chunk: Buffer) => {
      count(chunk.length);
      tail.push(chunk);
      if (tail.length > 3) tail.shift();
    });
    body.on('end', () => resolve(Buffer.concat(tail)));
    body.on('error', reject);
  });
}

function endsWithEof(tail: Buffer, format: Format): boolean {
  const eof = format === 'json' ? EOF_JSON : EOF_BSON;
  return tail.length >= eof.length && tail.subarray(tail.length - eof.length).equals(eof);
}

/** The seq of the last message in the end of an answer, found by searching backwards. */
function lastSeqIn(tail: Buffer, format: Format): number | undefined {
  if (format === 'json') {
    const at = tail.lastIndexOf(SEQ_JSON);
    if (at < 0) return undefined;
    let seq = 0;
    for (let p = at + SEQ_JSON.length; p < tail.length; p++) {
      const c = tail[p]!;
      if (c < 0x30 || c > 0x39) break;
      seq = seq * 10 + (c - 0x30);
    }
    return seq;
  }
  const at = tail.lastIndexOf(SEQ_BSON);
  return at < 0 ? undefined : Number(tail.readBigInt64LE(at + SEQ_BSON.length));
}

/** `JSON.parse` of a list `{"0":…}`, visiting its messages in order. */
function visitJsonList(text: string, visit: (m: WireFrame) => void): void {
  const list = JSON.parse(text) as Record<string, WireFrame>;
  for (let i = 0; ; i++) {
    const m = list[i];
    if (m === undefined) break;
    visit(m);
  }
}

/**
 * `BSON.deserialize` (with the library's options) of every whole document from `offset`, in
 * order; returns where the first partial one starts.
 */
export function visitBsonDocuments<M = WireFrame>(
  buf: Buffer,
  offset: number,
  visit: (m: M) => void,
): number {
  let p = offset;
  while (buf.length - p >= 4) {
    const length = buf.readInt32LE(p);
    if (buf.length - p < length) break;
    visit(deserialize(buf.subarray(p, p + length), BSON_OPTIONS) as M);
    p += length;
  }
  return p;
}
