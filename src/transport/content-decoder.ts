import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

/**
 * The decompressor for a response's `content-encoding`, or undefined when the body is not
 * compressed (or compressed some way hmb-rx does not read: the body then goes on as it came).
 *
 * undici's own decompress interceptor is still experimental (it warns on every process start), and
 * Node's zlib streams do the same job: they emit as soon as a flushed block arrives, so a
 * compressed /stream still flows message by message.
 */
export function contentDecoderFor(encoding: string | string[] | undefined): Transform | undefined {
  const name = (Array.isArray(encoding) ? encoding.join(',') : (encoding ?? ''))
    .trim()
    .toLowerCase();
  if (name === 'gzip' || name === 'x-gzip') return createGunzip();
  if (name === 'deflate') return createInflate();
  if (name === 'br') return createBrotliDecompress();
  return undefined;
}
