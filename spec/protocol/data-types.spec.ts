import {
  Binary,
  BSON,
  BSONRegExp,
  Decimal128,
  Double,
  Int32,
  Long,
  ObjectId,
  Timestamp,
} from 'bson';
import fc from 'fast-check';
import { lastValueFrom, toArray } from 'rxjs';
import { request } from 'undici';
import { HmbClient } from '../../src/node';
import { isHmbError } from '../../src/errors/hmb-error';
import type { HmbInvalidMessageError } from '../../src/errors/invalid-message-error';
import { bsonNumberType } from '../../src/protocol/bson-number-types';
import { encodeOne } from '../helpers/encode-one';
import type { HmbFormat } from '../../src/protocol/hmb-format';
import { publish } from '../helpers/publish';
import { decodeBsonDocs } from '../helpers/raw-http';
import { startTestBus, type TestBus } from '../helpers/test-bus';

// docs/data-types.md as tests: every value maps as the table says, in both directions and both
// formats, through the embedded bus; everything else is refused with the path of the value.

let bus: TestBus;
const clients: HmbClient[] = [];
beforeAll(async () => {
  // Every send, read and raw read below is a session of its own: no per-address cap here.
  bus = await startTestBus({ maxSessionsPerIp: 1_000_000, maxQueuesPerBus: 1_000_000 });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await bus.close();
});
function client(format: HmbFormat): HmbClient {
  const c = new HmbClient(bus.url, { format });
  clients.push(c);
  return c;
}

let queueCounter = 0;
const freshQueue = (): string => `DT${queueCounter++}`;

async function readData(format: HmbFormat, queue: string): Promise<unknown[]> {
  const messages = await lastValueFrom(
    client(format)
      .recvAll({ queue: { [queue]: { seq: 0 } } })
      .pipe(toArray()),
  );
  return messages.map((m) => m.data);
}

/** The queue's messages as the bus sends them to a session of `format`, not through hmb-rx. */
async function rawRecv(
  format: HmbFormat,
  queue: string,
): Promise<{ docs: Record<string, unknown>[]; text: string }> {
  const json = format === 'json';
  const open = await request(`${bus.url}/open`, {
    method: 'POST',
    headers: { 'content-type': json ? 'application/json' : 'application/bson' },
    body: json
      ? JSON.stringify({ queue: { [queue]: { seq: 0, keep: false } } })
      : BSON.serialize({ queue: { [queue]: { seq: 0, keep: false } } }),
  });
  const opened = Buffer.from(await open.body.arrayBuffer());
  const { sid } = (json ? JSON.parse(opened.toString()) : BSON.deserialize(opened)) as {
    sid: string;
  };
  const docs: Record<string, unknown>[] = [];
  let text = '';
  for (;;) {
    const answer = await request(`${bus.url}/recv/${sid}`);
    const body = Buffer.from(await answer.body.arrayBuffer());
    let eof = false;
    if (json) {
      text += body.toString();
      const list = JSON.parse(body.toString()) as Record<string, Record<string, unknown>>;
      for (const doc of Object.values(list)) {
        if (doc['type'] === 'EOF') eof = true;
        else docs.push(doc);
      }
    } else {
      // Wrappers kept: every value keeps its BSON type for the comparison.
      for (const doc of decodeBsonDocs(body, { promoteValues: false, bsonRegExp: true })) {
        if (doc['type'] === 'EOF') eof = true;
        else docs.push(doc);
      }
    }
    if (eof) return { docs, text };
  }
}

// ---------------------------------------------------------------------------------------------
// Arbitraries over the type table.

const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const safeInt64 = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
);
const bigInt64 = fc.oneof(
  fc.bigInt({ min: 2n ** 53n + 1n, max: 2n ** 63n - 1n }),
  fc.bigInt({ min: -(2n ** 63n), max: -(2n ** 53n) - 1n }),
);
const anyDouble = fc.oneof(
  fc.double(),
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(-0, 0, 2 ** 40, 1e300, -1e-300),
);
const bsonDate = fc.date({
  min: new Date(Date.UTC(1, 0, 1)),
  max: new Date(Date.UTC(9999, 11, 31)),
  noInvalidDate: true,
});
const subtype = fc.constantFrom(0, 4, 5, 0x80);
const text = fc.string({ unit: 'grapheme', maxLength: 12 });

/** A BSON value as a BSON sender writes it (js-bson wrappers: each type explicit). */
const bsonWireValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown; doc: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    int32.map((n) => new Int32(n)),
    safeInt64.map((n) => Long.fromNumber(n)),
    bigInt64.map((b) => Long.fromBigInt(b)),
    anyDouble.map((d) => new Double(d)),
    fc.constantFrom(NaN, Infinity, -Infinity).map((d) => new Double(d)),
    text,
    fc.boolean(),
    fc.constant(null),
    bsonDate,
    fc.tuple(fc.uint8Array({ maxLength: 12 }), subtype).map(([b, s]) => new Binary(b, s)),
    fc.bigInt({ min: 0n, max: 10n ** 30n }).map((b) => Decimal128.fromString(b.toString())),
    fc.uint8Array({ minLength: 12, maxLength: 12 }).map((b) => new ObjectId(b)),
    fc
      .tuple(fc.nat({ max: 2 ** 32 - 1 }), fc.nat({ max: 2 ** 32 - 1 }))
      .map(([t, i]) => new Timestamp({ t, i })),
    fc
      .tuple(fc.stringMatching(/^[a-z(?<>)+.*\\]{0,8}$/), fc.constantFrom('', 'i', 'imsx', 'u'))
      .map(([p, o]) => new BSONRegExp(p, o)),
    fc.array(tie('value'), { maxLength: 4 }),
    tie('doc'),
  ),
  doc: fc.dictionary(fc.stringMatching(/^[a-z]{1,6}$/), tie('value'), { maxKeys: 4 }),
})).doc;

// ---------------------------------------------------------------------------------------------

describe('data types: BSON relays keep types (wire → JS → wire)', () => {
  it('data types: whatever a BSON sender stored, read by hmb-rx and sent on through a BSON sink, is stored with the same BSON types and bytes', async () => {
    const reader = client('bson');
    const writer = client('bson');
    await fc.assert(
      fc.asyncProperty(fc.array(bsonWireValue, { minLength: 1, maxLength: 8 }), async (datas) => {
        const source = freshQueue();
        const copy = freshQueue();
        await publish(
          bus.url,
          datas.map((data) => ({ type: 'T', queue: source, data })),
          { format: 'bson' },
        );
        const received = await lastValueFrom(
          reader.recvAll({ queue: { [source]: { seq: 0 } } }).pipe(toArray()),
        );
        expect(received).toHaveLength(datas.length);
        // The relay as a user writes it: a new message around the received data.
        await writer.send(received.map((m) => ({ type: m.type, queue: copy, data: m.data })));
        const [before, after] = await Promise.all([rawRecv('bson', source), rawRecv('bson', copy)]);
        expect(after.docs).toHaveLength(datas.length);
        for (let i = 0; i < datas.length; i++)
          expect(Buffer.from(BSON.serialize({ d: after.docs[i]!['data'] }))).toEqual(
            Buffer.from(BSON.serialize({ d: before.docs[i]!['data'] })),
          );
      }),
      { numRuns: 25 },
    );
  });

  it('data types: everyday reading stays plain: int64 and integral doubles are numbers, with their wire type on record', async () => {
    const queue = freshQueue();
    await publish(
      bus.url,
      [
        {
          type: 'T',
          queue,
          data: {
            magnitude: new Double(5),
            count: Long.fromNumber(2 ** 40),
            small: Long.fromNumber(5),
            i: new Int32(7),
            huge: Long.fromString('4611686018427387905'),
            list: [new Double(1), Long.fromNumber(2)],
          },
        },
      ],
      { format: 'bson' },
    );
    const [data] = (await readData('bson', queue)) as [Record<string, unknown>];
    expect(data).toEqual({
      magnitude: 5,
      count: 2 ** 40,
      small: 5,
      i: 7,
      huge: Long.fromString('4611686018427387905'),
      list: [1, 2],
    });
    expect(JSON.stringify(data['list'])).toBe('[1,2]');
    expect(bsonNumberType(data, 'magnitude')).toBe('double');
    expect(bsonNumberType(data, 'count')).toBe('int64');
    expect(bsonNumberType(data, 'small')).toBe('int64');
    expect(bsonNumberType(data, 'i')).toBeUndefined();
    expect(bsonNumberType(data['list'] as object, 0)).toBe('double');
    expect(bsonNumberType(data['list'] as object, 1)).toBe('int64');
    expect(Object.keys(data)).toEqual(['magnitude', 'count', 'small', 'i', 'huge', 'list']);
  });
});

/** What a JS value reads back as from a BSON session, per docs/data-types.md. */
function afterBson(value: unknown): unknown {
  if (value instanceof Int32) return value.value;
  if (value instanceof Double) return value.value;
  if (value instanceof Long || typeof value === 'bigint') {
    const big = typeof value === 'bigint' ? value : value.toBigInt();
    // An int64 reads back as a number when the number is exact, else as a Long.
    return Number.isSafeInteger(Number(big)) ? Number(big) : Long.fromBigInt(big);
  }
  if (value instanceof Uint8Array) return new Binary(value, 0);
  if (value instanceof RegExp) return new BSONRegExp(value.source, value.flags);
  if (Array.isArray(value)) return value.map(afterBson);
  if (
    value !== null &&
    typeof value === 'object' &&
    [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null)
  )
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, afterBson(v)]),
    );
  return value;
}

/** JS values as a user writes them, over the BSON column of the table. */
const jsForBson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown; doc: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    anyDouble,
    text,
    fc.boolean(),
    fc.constant(null),
    bsonDate,
    fc.uint8Array({ maxLength: 8 }),
    fc.uint8Array({ maxLength: 8 }).map((b) => Buffer.from(b)),
    fc.tuple(fc.uint8Array({ maxLength: 8 }), subtype).map(([b, s]) => new Binary(b, s)),
    bigInt64.map((b) => Long.fromBigInt(b)),
    safeInt64.map((n) => Long.fromNumber(n)),
    fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
    int32.map((n) => new Int32(n)),
    anyDouble.map((d) => new Double(d)),
    fc.constantFrom(/ab+c/i, /x/ms, /^\d$/),
    fc.array(tie('value'), { maxLength: 3 }),
    tie('doc'),
  ),
  doc: fc.dictionary(
    fc.stringMatching(/^[a-z]{1,6}$/),
    fc.oneof(tie('value'), fc.constant(undefined)),
    {
      maxKeys: 4,
    },
  ),
})).doc;

describe('data types: JS → wire → JS', () => {
  it('data types: BSON: every JS value of the table reads back as the table says', async () => {
    const writer = client('bson');
    await fc.assert(
      fc.asyncProperty(fc.array(jsForBson, { minLength: 1, maxLength: 6 }), async (datas) => {
        const queue = freshQueue();
        await writer.send(datas.map((data) => ({ type: 'T', queue, data })));
        const back = await readData('bson', queue);
        expect(back).toEqual(datas.map(afterBson));
      }),
      { numRuns: 25 },
    );
  });

  /** What a JS value reads back as from a JSON session, per docs/data-types.md. */
  function afterJson(value: unknown): unknown {
    if (value instanceof Int32 || value instanceof Double) return value.value;
    if (value instanceof Date) return value.toISOString();
    if (Array.isArray(value)) return value.map(afterJson);
    if (value !== null && typeof value === 'object')
      return Object.fromEntries(
        Object.entries(value)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, afterJson(v)]),
      );
    return value;
  }

  const jsForJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown; doc: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constant(-0),
      fc.integer(),
      text,
      fc.boolean(),
      fc.constant(null),
      fc.date({ noInvalidDate: true }),
      int32.map((n) => new Int32(n)),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => new Double(d)),
      fc.array(tie('value'), { maxLength: 3 }),
      tie('doc'),
    ),
    doc: fc.dictionary(
      fc.string({ maxLength: 6 }),
      fc.oneof(tie('value'), fc.constant(undefined)),
      {
        maxKeys: 4,
      },
    ),
  })).doc;

  it('data types: JSON: every JS value of the table reads back as the table says (-0 included)', async () => {
    const writer = client('json');
    await fc.assert(
      fc.asyncProperty(fc.array(jsForJson, { minLength: 1, maxLength: 6 }), async (datas) => {
        const queue = freshQueue();
        await writer.send(datas.map((data) => ({ type: 'T', queue, data })));
        const back = await readData('json', queue);
        // toEqual tells -0 from 0 (Object.is), so a lost sign fails here.
        expect(back).toEqual(datas.map(afterJson));
      }),
      { numRuns: 25 },
    );
  });

  it('data types: JSON wire → JS → wire: what a JSON sender stored is stored again unchanged', async () => {
    const writer = client('json');
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue({ maxDepth: 3 }), { minLength: 1, maxLength: 6 }),
        async (datas) => {
          const source = freshQueue();
          const copy = freshQueue();
          await publish(
            bus.url,
            datas.map((data) => ({ type: 'T', queue: source, data })),
          );
          const received = await lastValueFrom(
            client('json')
              .recvAll({ queue: { [source]: { seq: 0 } } })
              .pipe(toArray()),
          );
          await writer.send(received.map((m) => ({ type: m.type, queue: copy, data: m.data })));
          const [before, after] = await Promise.all([
            rawRecv('json', source),
            rawRecv('json', copy),
          ]);
          expect(after.docs.map((d) => d['data'])).toEqual(before.docs.map((d) => d['data']));
        },
      ),
      { numRuns: 20 },
    );
  });
});

describe('data types: BSON values rendered to JSON sessions as the original renders them', () => {
  it('data types: binary base64, datetime RFC 3339 with a trimmed fraction, ObjectId hex, Decimal128 {}, regex {Pattern,Options}, int64 exact, undefined dropped', async () => {
    const queue = freshQueue();
    const id = new ObjectId('0123456789abcdef01234567');
    await publish(
      bus.url,
      [
        {
          type: 'T',
          queue,
          data: {
            bin: new Binary(Buffer.from([1, 2, 3]), 0),
            uuid: new Binary(Buffer.from([9, 9]), 4),
            when: new Date('2020-01-02T03:04:05.600Z'),
            whole: new Date('2020-01-02T03:04:05.000Z'),
            id,
            dec: Decimal128.fromString('1.5'),
            re: new BSONRegExp('ab+', 'i'),
            ts: new Timestamp({ t: 1, i: 2 }),
            big: Long.fromString('9007199254740993'),
            int64: Long.fromNumber(5),
            dbl: new Double(5),
            gone: undefined,
          },
        },
      ],
      { format: 'bson' },
    );
    // undefined must reach the wire as BSON undefined for the last check.
    const { text } = await rawRecv('json', queue);
    expect(text).toContain('"big":9007199254740993');
    const [data] = (await readData('json', queue)) as [Record<string, unknown>];
    expect(data).toEqual({
      bin: 'AQID',
      uuid: { Kind: 4, Data: 'CQk=' },
      when: '2020-01-02T03:04:05.6Z',
      whole: '2020-01-02T03:04:05Z',
      id: '0123456789abcdef01234567',
      dec: {},
      re: { Pattern: 'ab+', Options: 'i' },
      ts: 2 ** 32 + 2,
      big: 9007199254740992, // JSON.parse cannot hold it; the text above has every digit
      int64: 5,
      dbl: 5,
    });
  });
});

describe('data types: refused values name the message and the path', () => {
  const refusedInJson: [string, unknown][] = [
    ['Uint8Array', new Uint8Array([1, 2, 3])],
    ['Buffer', Buffer.from([1, 2, 3])],
    ['Long', Long.fromString('4611686018427387905')],
    ['bigint', 5n],
    ['Binary', new Binary(Buffer.from([1]), 4)],
    ['Decimal128', Decimal128.fromString('1.5')],
    ['ObjectId', new ObjectId()],
    ['Timestamp', new Timestamp({ t: 1, i: 1 })],
    ['BSONRegExp', new BSONRegExp('a', 'i')],
    ['RegExp', /a/],
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['Double NaN', new Double(NaN)],
  ];
  const refusedInBoth: [string, unknown][] = [
    ['Map', new Map([['a', 1]])],
    ['Set', new Set([1])],
    ['function', () => 1],
    ['Symbol', Symbol('s')],
    ['invalid Date', new Date(NaN)],
    ['Float64Array', new Float64Array([1])],
    ['ArrayBuffer', new ArrayBuffer(2)],
    [
      'class instance',
      new (class Point {
        x = 1;
      })(),
    ],
    ['lone surrogate', 'a\ud800b'],
  ];

  function refusal(data: unknown, format: HmbFormat): HmbInvalidMessageError {
    try {
      encodeOne({ type: 'ALERT', queue: 'Q', data }, format);
    } catch (error) {
      expect(isHmbError(error, 'HMB_ERR_INVALID_MESSAGE')).toBe(true);
      return error as HmbInvalidMessageError;
    }
    throw new Error(`not refused: ${String(data)}`);
  }

  it.each([...refusedInJson, ...refusedInBoth])(
    'data types: JSON refuses %s with its path',
    (_name, value) => {
      const error = refusal({ content: [0, { value }] }, 'json');
      expect(error.path).toBe('data.content.1.value');
      expect(error.message).toContain('type "ALERT", queue "Q"');
      expect(error.message).toContain('data.content.1.value');
    },
  );

  it.each(refusedInBoth)('data types: BSON refuses %s with its path', (_name, value) => {
    expect(refusal({ content: value }, 'bson').path).toBe('data.content');
  });

  it('data types: BSON refuses undefined in an array, RegExp flags it cannot keep, a bigint beyond int64; data that is a function', () => {
    expect(refusal({ list: [1, undefined] }, 'bson').path).toBe('data.list.1');
    expect(refusal({ list: [1, undefined] }, 'json').path).toBe('data.list.1');
    expect(refusal({ re: /a/g }, 'bson').path).toBe('data.re');
    expect(refusal({ n: 2n ** 64n }, 'bson').path).toBe('data.n');
    expect(refusal(() => 1, 'json').path).toBe('data');
    const circular: Record<string, unknown> = {};
    circular['self'] = circular;
    expect(refusal(circular, 'bson').reason).toContain('circular');
  });

  it('data types: the JSON sink reports a refused value as refused, sends the rest, and stores nothing for it', async () => {
    const queue = freshQueue();
    const sink = client('json').sink();
    const refused: HmbInvalidMessageError[] = [];
    sink.results.subscribe((r) => {
      if (r.kind === 'refused') refused.push(r.error as HmbInvalidMessageError);
    });
    sink.next({ type: 'T', queue, data: { i: 0 } });
    sink.next({ type: 'T', queue, data: { i: 1, content: new Uint8Array([1]) } });
    sink.next({ type: 'T', queue, data: { i: 2, big: Long.fromString('4611686018427387905') } });
    sink.next({ type: 'T', queue, data: { i: 3, m: new Map() } });
    sink.next({ type: 'T', queue, data: { i: 4 } });
    sink.complete();
    expect(await sink.done).toMatchObject({ sent: 2, refused: 3 });
    expect(refused.map((e) => e.path)).toEqual(['data.content', 'data.big', 'data.m']);
    expect(await readData('json', queue)).toEqual([{ i: 0 }, { i: 4 }]);
  });
});
