import { BSON } from 'bson';
import fc from 'fast-check';
import { HmbTooLargeError } from '../../src/errors/too-large-error';
import { BsonFrameDecoder } from '../../src/protocol/bson-frame-decoder';
import type { HmbFrameDecoder } from '../../src/protocol/frame-decoder';
import { JsonFrameDecoder } from '../../src/protocol/json-frame-decoder';
import type { HmbFrame } from '../../src/protocol/message';

const utf8 = new TextEncoder();

/** Feeds `body` in chunks of `size` bytes; returns the frames or the error. */
function feed(decoder: HmbFrameDecoder, body: Uint8Array, size: number): HmbFrame[] | unknown {
  const frames: HmbFrame[] = [];
  try {
    for (let p = 0; p < body.length; p += size)
      frames.push(...decoder.push(body.subarray(p, p + size)));
    return frames;
  } catch (error) {
    return error;
  }
}

describe('frame decoders bound one frame (maxFrameBytes)', () => {
  it('json: a frame within the limit decodes in any chunking; one past limit + chunk always fails', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 200, max: 2000 }),
        fc.integer({ min: 1, max: 300 }),
        (dataLength, limit, chunk) => {
          const message = `{"type":"T","queue":"Q","seq":7,"data":"${'x'.repeat(dataLength)}"}`;
          const body = utf8.encode(`{"0":{"type":"T","queue":"Q","seq":6},"1":${message}`);
          const out = feed(new JsonFrameDecoder({ maxFrameBytes: limit }), body, chunk);
          if (message.length <= limit) {
            expect(out).toEqual([
              { kind: 'message', type: 'T', queue: 'Q', seq: 6 },
              { kind: 'message', type: 'T', queue: 'Q', seq: 7, data: 'x'.repeat(dataLength) },
            ]);
          } else if (message.length > limit + chunk) {
            expect(out).toBeInstanceOf(HmbTooLargeError);
            expect(out).toMatchObject({ code: 'HMB_ERR_TOO_LARGE', limit, limitKind: 'frame' });
          } else {
            // Between the two, a frame that ends in the chunk that crosses the limit may pass.
            expect(Array.isArray(out) || out instanceof HmbTooLargeError).toBe(true);
          }
        },
      ),
    );
  });

  it('json: the frame that never ends stops at the limit, however it is cut', () => {
    const decoder = new JsonFrameDecoder({ maxFrameBytes: 10_000 });
    decoder.push(utf8.encode('{"0":{"type":"T","queue":"Q","seq":0,"data":"'));
    const filler = utf8.encode('x'.repeat(1000));
    let pushed = 0;
    expect(() => {
      for (;;) {
        decoder.push(filler);
        pushed += filler.length;
      }
    }).toThrow(HmbTooLargeError);
    expect(pushed).toBeLessThanOrEqual(10_000);
  });

  it('bson: a document whose length prefix is over the limit fails before its body arrives', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 100, max: 2000 }),
        fc.integer({ min: 1, max: 300 }),
        (dataLength, limit, chunk) => {
          const doc = BSON.serialize({
            type: 'T',
            queue: 'Q',
            seq: 1,
            data: 'y'.repeat(dataLength),
          });
          const prefixOnly = doc.subarray(0, 4);
          const decoder = new BsonFrameDecoder({ maxFrameBytes: limit });
          const out = feed(decoder, doc, chunk);
          if (doc.length <= limit) {
            expect(out).toEqual([
              { kind: 'message', type: 'T', queue: 'Q', seq: 1, data: 'y'.repeat(dataLength) },
            ]);
          } else {
            expect(out).toMatchObject({ code: 'HMB_ERR_TOO_LARGE', limitKind: 'frame' });
            // The four bytes of the prefix are enough to know.
            expect(() => new BsonFrameDecoder({ maxFrameBytes: limit }).push(prefixOnly)).toThrow(
              HmbTooLargeError,
            );
          }
        },
      ),
    );
  });
});
