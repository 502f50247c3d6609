import type { IncomingMessage } from 'node:http';

/** How reading a request body ended. */
export type BodyEnd = 'done' | 'too-large' | 'stopped' | 'aborted';

/**
 * Reads a request body chunk by chunk, at most `limitBytes` (Go's `http.MaxBytesReader`: the
 * chunks before the limit are still handed over, so a streaming decoder can act on them).
 * `onChunk` may return `false` to stop reading.
 */
export function consumeBody(
  req: IncomingMessage,
  limitBytes: number,
  onChunk: (chunk: Buffer) => boolean | void,
): Promise<BodyEnd> {
  return new Promise((resolve) => {
    let total = 0;
    let settled = false;
    const finish = (end: BodyEnd): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      // Whatever is left unread is drained by Node once the response is done.
      if (end !== 'done') req.resume();
      resolve(end);
    };
    const onData = (chunk: Buffer): void => {
      if (settled) return;
      const room = limitBytes - total;
      total += chunk.length;
      if (chunk.length > room) {
        if (room > 0) onChunk(chunk.subarray(0, room));
        finish('too-large');
        return;
      }
      if (onChunk(chunk) === false) finish('stopped');
    };
    const onEnd = (): void => finish('done');
    const onClose = (): void => finish(req.complete ? 'done' : 'aborted');
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
  });
}

/** Reads a whole body (up to `limitBytes`) into one buffer. */
export async function readBody(
  req: IncomingMessage,
  limitBytes: number,
): Promise<{ readonly end: BodyEnd; readonly body: Buffer }> {
  const chunks: Buffer[] = [];
  let size = 0;
  const end = await consumeBody(req, limitBytes, (chunk) => {
    chunks.push(chunk);
    size += chunk.length;
  });
  return { end, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) };
}
