// /recv and /stream bodies as the bus writes them, built in memory: for benchmarks that measure
// the client without a server (decode cost, client overhead).
import { Long, serialize } from 'bson';
import type { Format } from './raw-http';

/** The chunk size the server cuts bodies into (notes §1). */
export const SERVER_CHUNK_BYTES = 2048;

/** The default recv_limit: an answer ends after the message that crosses 1024 KB (§6.9). */
export const RECV_LIMIT_BYTES = 1024 * 1024;

/** A delivered message, fields in the bus's order: type, queue, sender, topic, seq, data. */
export function wireDoc(queue: string, seq: number, pad: string): Record<string, unknown> {
  return { type: 'T', queue, sender: 'bench-filler', topic: 'X', seq, data: { i: seq, pad } };
}

function jsonList(docs: readonly string[], first: number, eof: boolean): Buffer {
  const parts = docs.map((d, k) => `"${first + k}":${d}`);
  if (eof) parts.push(`"${first + docs.length}":{"type":"EOF"}`);
  return Buffer.from(`{${parts.join(',')}}`);
}

function encodedDocs(
  format: Format,
  queue: string,
  n: number,
  pad: string,
): (string | Uint8Array)[] {
  const out: (string | Uint8Array)[] = [];
  for (let i = 0; i < n; i++) {
    const doc = wireDoc(queue, i, pad);
    out.push(
      format === 'json' ? JSON.stringify(doc) : serialize({ ...doc, seq: Long.fromNumber(i) }),
    );
  }
  return out;
}

/** A whole /stream body of n messages and EOF. */
export function streamBody(format: Format, queue: string, n: number, pad: string): Buffer {
  const docs = encodedDocs(format, queue, n, pad);
  if (format === 'json') return jsonList(docs as string[], 0, true);
  return Buffer.concat([...(docs as Uint8Array[]), serialize({ type: 'EOF' })]);
}

/**
 * The /recv answers for n messages read from seq 0 with `keep: false`: each holds messages until
 * one crosses `RECV_LIMIT_BYTES`; the last one also holds EOF.
 */
export function recvBodies(format: Format, queue: string, n: number, pad: string): Buffer[] {
  const docs = encodedDocs(format, queue, n, pad);
  const bodies: Buffer[] = [];
  let start = 0;
  while (start < n) {
    let bytes = 0;
    let end = start;
    while (end < n && bytes < RECV_LIMIT_BYTES) bytes += docs[end++]!.length;
    const slice = docs.slice(start, end);
    const last = end === n;
    bodies.push(
      format === 'json'
        ? jsonList(slice as string[], 0, last)
        : Buffer.concat([
            ...(slice as Uint8Array[]),
            ...(last ? [serialize({ type: 'EOF' })] : []),
          ]),
    );
    start = end;
  }
  return bodies;
}

/** A body cut into the server's chunks (views, not copies). */
export function serverChunks(body: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  for (let p = 0; p < body.length; p += SERVER_CHUNK_BYTES)
    chunks.push(body.subarray(p, p + SERVER_CHUNK_BYTES));
  return chunks;
}
