import { ByteUtils, Long } from 'bson';
import { frameFromBson } from './bson-envelope';
import { readDocumentLength } from './bson-document';
import type { HmbFrame } from './message';

/**
 * Decodes a complete BSON /recv body: documents back to back, no wrapper.
 *
 * @throws HmbDecodeError on a truncated or corrupt document.
 */
export function decodeBsonFrames(body: Uint8Array): HmbFrame[] {
  // js-bson turns every plain Uint8Array it is given into a Buffer view (in Node) before reading
  // it: converting the body once makes every document below a Buffer already.
  const bytes = ByteUtils.toLocalBufferType(body);
  const frames: HmbFrame[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const length = readDocumentLength(bytes, offset);
    frames.push(frameFromBson(bytes.subarray(offset, offset + length), offset));
    offset += length;
  }
  return frames;
}

/**
 * A seq for a BSON body. The server refuses a seq stored as a BSON double (`invalid Sequence`),
 * and js-bson writes a JS number above 2^31 as a double, so every seq goes out as an int64.
 */
export function bsonSeq(seq: number): Long {
  return Long.fromNumber(seq);
}
