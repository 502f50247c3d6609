import { BSON, EJSON, Long } from 'bson';
import fc from 'fast-check';
import { HmbDecodeError } from '../../src/errors/decode-error';
import { bsonFramesOf, bsonSeq, decodeBsonFrames } from '../../src/protocol/bson-codec';
import { BsonFrameDecoder } from '../../src/protocol/bson-frame-decoder';
import type { HmbFrameDecoder } from '../../src/protocol/frame-decoder';
import { decodeJsonFrames, jsonFramesOf } from '../../src/protocol/json-codec';
import { JsonFrameDecoder } from '../../src/protocol/json-frame-decoder';
import type { HmbFrame } from '../../src/protocol/message';
import {
  bsonPayload,
  framesOf,
  jsonWireMessage,
  splitAt,
  type WireMessage,
} from '../helpers/wire-arbitraries';

const utf8 = new TextEncoder();

function jsonBody(items: (WireMessage | 'HEARTBEAT')[], eof: boolean, close: boolean): Uint8Array {
  const docs: unknown[] = items.map((m) => (m === 'HEARTBEAT' ? { type: 'HEARTBEAT' } : m));
  if (eof) docs.push({ type: 'EOF' });
  const inner = docs.map((d, i) => `"${i}":${JSON.stringify(d)}`).join(',');
  return utf8.encode(`{${inner}${close ? '}' : ''}`);
}

function bsonBody(items: (Record<string, unknown> | 'HEARTBEAT')[], eof: boolean): Uint8Array {
  const docs = items.map((m) => (m === 'HEARTBEAT' ? { type: 'HEARTBEAT' } : m));
  if (eof) docs.push({ type: 'EOF' });
  return Buffer.concat(docs.map((d) => BSON.serialize(d)));
}

function decodeChunks(decoder: HmbFrameDecoder, chunks: Uint8Array[]): HmbFrame[] {
  const frames: HmbFrame[] = [];
  for (const chunk of chunks) frames.push(...decoder.push(chunk));
  decoder.end();
  return frames;
}

const bsonWireMessage = fc
  .tuple(jsonWireMessage, bsonPayload)
  .map(([m, data]) => ({ ...m, seq: bsonSeq(m.seq), data }) as Record<string, unknown>);

/** Iterates frames made lazily until one fails: the seqs delivered before, and the error. */
function readUntilFailure(frames: Iterable<HmbFrame>): { seen: number[]; error: unknown } {
  const seen: number[] = [];
  try {
    for (const frame of frames) if (frame.kind === 'message') seen.push(frame.seq);
  } catch (error) {
    return { seen, error };
  }
  return { seen, error: undefined };
}

describe('protocol: JSON frame decoding', () => {
  it('JSON: a body split at every byte boundary decodes to the same frames as the whole body', () => {
    fc.assert(
      fc.property(framesOf(jsonWireMessage), fc.boolean(), (items, eof) => {
        const body = jsonBody(items, eof, true);
        const whole = decodeJsonFrames(new TextDecoder().decode(body));
        expect(whole.filter((f) => f.kind === 'message')).toHaveLength(
          items.filter((i) => i !== 'HEARTBEAT').length,
        );
        const expected = JSON.stringify(whole);
        for (let cut = 0; cut <= body.length; cut++) {
          const got = JSON.stringify(decodeChunks(new JsonFrameDecoder(), splitAt(body, [cut])));
          if (got !== expected) expect(got).toBe(expected);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('JSON: arbitrary multi-way splits and one-byte chunks decode the same', () => {
    fc.assert(
      fc.property(framesOf(jsonWireMessage), fc.array(fc.nat(4000)), (items, cuts) => {
        const body = jsonBody(items, true, true);
        const whole = decodeJsonFrames(new TextDecoder().decode(body));
        expect(decodeChunks(new JsonFrameDecoder(), splitAt(body, cuts))).toEqual(whole);
        const bytes = Array.from({ length: body.length }, (_, i) => i);
        expect(decodeChunks(new JsonFrameDecoder(), splitAt(body, bytes))).toEqual(whole);
      }),
      { numRuns: 100 },
    );
  });

  it('JSON: messages keep every field and payload', () => {
    const m: WireMessage = {
      type: 'ORIGIN',
      queue: 'Q1',
      sender: 's1',
      topic: 'PICK',
      seq: 7,
      starttime: '2020-01-01T00:00:00.000000Z',
      endtime: '2020-01-01T00:00:10.500000Z',
      data: { mag: 5.5, ü: ['ä', null, true] },
    };
    const frames = decodeChunks(new JsonFrameDecoder(), [jsonBody([m], true, true)]);
    expect(frames).toEqual([
      { kind: 'message', ...m },
      { kind: 'eof', type: 'EOF' },
    ]);
  });

  it('JSON: an endless stream yields frames as they complete, before the body ends', () => {
    const decoder = new JsonFrameDecoder();
    expect(decoder.push(utf8.encode('{"0":{"type":"T","queue":"Q","seq":0}'))).toHaveLength(1);
    expect(decoder.push(utf8.encode(',"1":{"type":"HEARTBEAT"}'))).toEqual([
      { kind: 'heartbeat', type: 'HEARTBEAT' },
    ]);
    expect(
      decoder.push(utf8.encode(',"2":{"type":"T","queue":"Q","seq":1,"data":"a}b{\\"c"')),
    ).toEqual([]);
    expect(decoder.push(utf8.encode('}'))).toEqual([
      { kind: 'message', type: 'T', queue: 'Q', seq: 1, data: 'a}b{"c' },
    ]);
    // Server shutdown ends a JSON stream without the closing brace (notes §11).
    expect(() => decoder.end()).toThrow(/unterminated/);
  });

  it('JSON: a corrupt frame gives HmbDecodeError and no bad message', () => {
    const decoder = new JsonFrameDecoder();
    expect(decoder.push(utf8.encode('{"0":{"type":"T","queue":"Q","seq":0},'))).toHaveLength(1);
    expect(() => decoder.push(utf8.encode('"1":{"type":"T","queue":"Q","seq":1,}}'))).toThrow(
      HmbDecodeError,
    );
    expect(() => new JsonFrameDecoder().push(utf8.encode('<html>'))).toThrow(HmbDecodeError);
    expect(() => new JsonFrameDecoder().push(utf8.encode('{"0":{"queue":"Q","seq":0}}'))).toThrow(
      HmbDecodeError,
    );
  });

  it('JSON: a body cut inside a message is reported as truncated', () => {
    const decoder = new JsonFrameDecoder();
    decoder.push(utf8.encode('{"0":{"type":"T","queue":"Q","seq":0,"data":{"x":'));
    expect(() => decoder.end()).toThrow(/truncated/);
  });
});

describe('protocol: BSON frame decoding', () => {
  it('BSON: a body split at every byte boundary decodes to the same frames as the whole body', () => {
    fc.assert(
      fc.property(framesOf(bsonWireMessage), fc.boolean(), (items, eof) => {
        const body = bsonBody(items, eof);
        const whole = decodeBsonFrames(body);
        const expected = EJSON.stringify(whole, { relaxed: false });
        for (let cut = 0; cut <= body.length; cut++) {
          const got = EJSON.stringify(decodeChunks(new BsonFrameDecoder(), splitAt(body, [cut])), {
            relaxed: false,
          });
          if (got !== expected) expect(got).toBe(expected);
        }
      }),
      { numRuns: 15 },
    );
  });

  it('BSON: arbitrary multi-way splits and one-byte chunks decode the same', () => {
    fc.assert(
      fc.property(framesOf(bsonWireMessage), fc.array(fc.nat(4000)), (items, cuts) => {
        const body = bsonBody(items, true);
        const whole = decodeBsonFrames(body);
        expect(decodeChunks(new BsonFrameDecoder(), splitAt(body, cuts))).toEqual(whole);
        const bytes = Array.from({ length: body.length }, (_, i) => i);
        expect(decodeChunks(new BsonFrameDecoder(), splitAt(body, bytes))).toEqual(whole);
      }),
      { numRuns: 60 },
    );
  });

  it('BSON /recv body: decoded one frame at a time; a cut body fails at once, a corrupt document when reached', () => {
    const doc = (i: number): Uint8Array =>
      BSON.serialize({ type: 'T', queue: 'Q', seq: bsonSeq(i), data: { i } });
    // A document whose length is right but whose payload holds an element type js-bson refuses.
    const corrupt = doc(2);
    const dataAt = Buffer.from(corrupt).indexOf(Buffer.from('data\0')) - 1;
    const innerType = dataAt + 1 + 'data'.length + 1 + 4;
    corrupt[innerType] = 0x99;
    const body = Buffer.concat([doc(0), doc(1), corrupt, doc(3)]);
    const { seen, error } = readUntilFailure(bsonFramesOf(body));
    expect(error).toBeInstanceOf(HmbDecodeError);
    expect(seen).toEqual([0, 1]);
    // Cut short: the framing is checked before any frame is read.
    expect(() => bsonFramesOf(Buffer.concat([doc(0), doc(1).subarray(0, 10)]))).toThrow(
      /truncated/,
    );
    // The whole-body form still decodes everything or nothing.
    expect(() => decodeBsonFrames(body)).toThrow(HmbDecodeError);
  });

  it('JSON /recv body: frames made one at a time; a body that is not a list fails at once, an invalid message when reached', () => {
    const message = (i: number): string => JSON.stringify({ type: 'T', queue: 'Q', seq: i });
    const body = `{"0":${message(0)},"1":${message(1)},"2":{"type":"T","queue":"Q"},"3":${message(3)}}`;
    const { seen, error } = readUntilFailure(jsonFramesOf(body));
    expect(error).toBeInstanceOf(HmbDecodeError);
    expect(seen).toEqual([0, 1]);
    // Not a message list at all: refused before any frame is made.
    expect(() => jsonFramesOf(`[${message(0)}]`)).toThrow(/must be an object/);
    expect(() => jsonFramesOf(`{"1":${message(1)}}`)).toThrow(/keys "0", "1"/);
    expect(() => jsonFramesOf(`{"0":${message(0)}`)).toThrow(/invalid JSON/);
    expect([...jsonFramesOf('{}')]).toEqual([]);
    // The whole-body form still decodes everything or nothing.
    expect(() => decodeJsonFrames(body)).toThrow(HmbDecodeError);
  });

  it('BSON: int64 seq values decode to plain numbers, payload int64 beyond 2^53 keeps its precision', () => {
    fc.assert(
      fc.property(fc.nat({ max: Number.MAX_SAFE_INTEGER }), (seq) => {
        const body = bsonBody(
          [
            {
              type: 'T',
              queue: 'Q',
              seq: Long.fromNumber(seq),
              data: { big: Long.fromString('9007199254740993') },
            },
          ],
          false,
        );
        const [frame] = decodeBsonFrames(body);
        expect(frame).toMatchObject({ kind: 'message', seq });
        expect(typeof (frame as { seq: unknown }).seq).toBe('number');
        const data = (frame as { data: { big: Long } }).data;
        expect(Long.isLong(data.big) && data.big.toString()).toBe('9007199254740993');
      }),
    );
  });

  it('BSON: dates and binary data survive decoding', () => {
    const when = new Date(Date.UTC(2020, 0, 2, 3, 4, 5, 678));
    const body = bsonBody(
      [{ type: 'T', queue: 'Q', seq: 1, data: { when, bin: new Uint8Array([1, 2, 3]) } }],
      false,
    );
    const [frame] = decodeBsonFrames(body);
    const data = (frame as { data: { when: Date; bin: { buffer: Uint8Array } } }).data;
    expect(data.when).toEqual(when);
    expect(Array.from(data.bin.buffer)).toEqual([1, 2, 3]);
  });

  it('BSON: a corrupt length prefix fails at once; a truncated body fails at end; no bad message', () => {
    const body = bsonBody(
      [
        { type: 'T', queue: 'Q', seq: 0 },
        { type: 'T', queue: 'Q', seq: 1 },
      ],
      false,
    );
    const corrupt = Buffer.from(body);
    const second = corrupt.readInt32LE(0);
    corrupt.writeInt32LE(0x7fffffff, second);
    const decoder = new BsonFrameDecoder();
    expect(() => decoder.push(corrupt)).toThrow(HmbDecodeError);

    const truncated = new BsonFrameDecoder();
    expect(truncated.push(body.subarray(0, body.length - 3))).toHaveLength(1);
    expect(() => truncated.end()).toThrow(/truncated/);

    const garbage = Buffer.from(body);
    garbage[second + 4] = 0x42; // an invalid element type inside the second document
    expect(() => new BsonFrameDecoder().push(garbage)).toThrow(HmbDecodeError);
  });
});
