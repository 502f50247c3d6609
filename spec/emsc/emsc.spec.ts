import { deflateRawSync, deflateSync, inflateSync } from 'node:zlib';
import { Binary, BSON } from 'bson';
import { lastValueFrom, of, toArray } from 'rxjs';
import { HmbClient } from '../../src/node';
import { isHmbError } from '../../src/errors/hmb-error';
import type { HmbEmscError } from '../../src/errors/emsc-error';
import { deserializeDocument } from '../../src/protocol/bson-document';
import type { HmbMessage } from '../../src/protocol/message';
import { readEmscEnvelope } from '../../src/emsc/emsc-envelope';
import { emscMessage } from '../../src/emsc/emsc-message';
import { decodeEmsc, type HmbEmscMessage } from '../../src/operators/decode-emsc';
import { publish } from '../helpers/publish';
import { storedDocs } from '../helpers/raw-http';
import { startTestBus, type TestBus } from '../helpers/test-bus';

// Fixtures are built by hand from the format of notes §17.5, as EMSC's Python EmscHmbPublisher
// writes it: js-bson for the document, node:zlib's deflateSync for Python's zlib.compress.

const created = new Date('2026-12-04T10:11:12.345Z');
const header = { creationtime: created, author: 'emschmb.py.1.0', agency: 'EMSC' };
const xml = '<quakeml>Ünïcödé 🌍</quakeml>';

/** A data document as EmscHmbPublisher builds it, through BSON bytes and the library's decoder. */
function fixture(data: Record<string, unknown>): Record<string, unknown> {
  return deserializeDocument(BSON.serialize({ data }))['data'] as Record<string, unknown>;
}

const fixtures = {
  file: {
    _header: { ...header, metadata: { evid: '20261204_0000042' } },
    _type: 'FILE',
    file: 'event.xml',
    zlib: true,
    content: new Binary(deflateSync(Buffer.from(xml))),
  },
  strZlib: {
    _header: header,
    _type: 'STR',
    encoding: 'utf-8',
    zlib: true,
    content: new Binary(deflateSync(Buffer.from(xml))),
  },
  strPlain: { _header: header, _type: 'STR', encoding: 'utf-8', zlib: false, content: xml },
  strLatin1: {
    _header: header,
    _type: 'STR',
    encoding: 'latin1',
    zlib: false,
    content: new Binary(Buffer.from('café', 'latin1')),
  },
  bin: {
    _header: header,
    _type: 'BIN',
    zlib: true,
    content: new Binary(deflateSync(Buffer.from([0, 1, 2, 255]))),
  },
  binPlain: {
    _header: header,
    _type: 'BIN',
    zlib: false,
    content: new Binary(Buffer.from([9, 8])),
  },
  dict: { _header: header, magnitude: 5.5, region: 'CRETE' },
};

describe('emsc: reading envelopes built by hand', () => {
  it('emsc: FILE, STR (zlib and plain, utf-8 and latin1), BIN and dict decode to their payloads', async () => {
    const file = await readEmscEnvelope(fixture(fixtures.file));
    expect(file.header).toEqual({ ...header, metadata: { evid: '20261204_0000042' } });
    expect(file.payload).toEqual({
      kind: 'file',
      file: 'event.xml',
      content: expect.any(Uint8Array),
    });
    expect(Buffer.from((file.payload as { content: Uint8Array }).content).toString()).toBe(xml);
    expect((await readEmscEnvelope(fixture(fixtures.strZlib))).payload).toEqual({
      kind: 'text',
      text: xml,
      encoding: 'utf-8',
    });
    expect((await readEmscEnvelope(fixture(fixtures.strPlain))).payload).toEqual({
      kind: 'text',
      text: xml,
      encoding: 'utf-8',
    });
    expect((await readEmscEnvelope(fixture(fixtures.strLatin1))).payload).toEqual({
      kind: 'text',
      text: 'café',
      encoding: 'latin1',
    });
    const bin = await readEmscEnvelope(fixture(fixtures.bin));
    expect(bin.payload.kind).toBe('bytes');
    expect([...(bin.payload as { bytes: Uint8Array }).bytes]).toEqual([0, 1, 2, 255]);
    const binPlain = await readEmscEnvelope(fixture(fixtures.binPlain));
    expect([...(binPlain.payload as { bytes: Uint8Array }).bytes]).toEqual([9, 8]);
    const dict = await readEmscEnvelope(fixture(fixtures.dict));
    expect(dict).toEqual({
      header,
      payload: { kind: 'dict', data: { magnitude: 5.5, region: 'CRETE' } },
    });
  });

  it('emsc: bad envelopes are HmbEmscError with their problem, never a crash', async () => {
    const cases: [Record<string, unknown> | unknown, string][] = [
      [{ ...fixtures.bin, content: new Binary(deflateRawSync(Buffer.from('x'))) }, 'bad-zlib'],
      [{ ...fixtures.bin, content: new Binary(Buffer.from('not zlib at all')) }, 'bad-zlib'],
      [
        { ...fixtures.bin, content: new Binary(deflateSync(Buffer.from('cut')).subarray(0, 5)) },
        'bad-zlib',
      ],
      [{ ...fixtures.bin, _type: 'XML' }, 'unknown-type'],
      [{ _type: 'BIN', zlib: false, content: new Binary(Buffer.from([1])) }, 'missing-header'],
      [{ ...fixtures.bin, _header: 'EMSC' }, 'bad-header'],
      [{ ...fixtures.bin, _header: { ...header, creationtime: 5 } }, 'bad-header'],
      [{ ...fixtures.bin, _header: { ...header, agency: undefined } }, 'bad-header'],
      [{ ...fixtures.bin, zlib: 'yes' }, 'bad-field'],
      [{ ...fixtures.bin, content: 42 }, 'bad-field'],
      [{ ...fixtures.file, file: undefined }, 'bad-field'],
      [{ ...fixtures.strPlain, encoding: undefined }, 'bad-field'],
      [{ ...fixtures.strLatin1, encoding: 'no-such-encoding' }, 'bad-encoding'],
      [
        { ...fixtures.strLatin1, encoding: 'utf-8', content: new Binary(Buffer.from([0xff])) },
        'bad-encoding',
      ],
    ];
    for (const [data, problem] of cases) {
      const error = await readEmscEnvelope(fixture(data as Record<string, unknown>), {
        queue: 'Q',
        seq: 7,
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isHmbError(error, 'HMB_ERR_EMSC')).toBe(true);
      expect((error as HmbEmscError).problem).toBe(problem);
      expect((error as HmbEmscError).message).toContain('Q#7');
    }
    const notADocument = await readEmscEnvelope('text').catch((e: unknown) => e);
    expect((notADocument as HmbEmscError).problem).toBe('missing-header');
  });
});

describe('emsc: building envelopes', () => {
  it('emsc: emscMessage builds the four kinds EmscHmbPublisher builds, byte for byte in type', async () => {
    const options = { agency: 'GFZ', author: 'test.1', creationtime: created, metadata: { k: 1 } };
    const text = await emscMessage('Q', { kind: 'text', text: xml }, options);
    const doc = BSON.deserialize(BSON.serialize(text.data!), { promoteBuffers: false });
    expect(doc).toEqual({
      _header: { creationtime: created, author: 'test.1', agency: 'GFZ', metadata: { k: 1 } },
      _type: 'STR',
      encoding: 'utf-8',
      zlib: true,
      content: expect.any(Binary),
    });
    // What Python's zlib.decompress would do with it.
    expect(inflateSync((doc['content'] as Binary).buffer).toString()).toBe(xml);
    expect(text.type).toBe('EMSC_MSG');
    const plain = await emscMessage(
      'Q',
      { kind: 'text', text: 'hi' },
      { ...options, compress: false },
    );
    expect(plain.data).toMatchObject({ _type: 'STR', zlib: false, content: 'hi' });
    const file = await emscMessage(
      'Q',
      { kind: 'file', file: 'a.xml', content: Buffer.from(xml) },
      options,
    );
    expect(file.data).toMatchObject({ _type: 'FILE', file: 'a.xml', zlib: true });
    const bytes = await emscMessage(
      'Q',
      { kind: 'bytes', bytes: new Uint8Array([1, 2]) },
      { ...options, compress: false },
    );
    expect(bytes.data).toMatchObject({ _type: 'BIN', zlib: false });
    expect([...(bytes.data!['content'] as Binary).buffer]).toEqual([1, 2]);
    const dict = await emscMessage('Q', { kind: 'dict', data: { m: 1 } }, options);
    expect(Object.keys(dict.data!).sort()).toEqual(['_header', 'm']);
    // Each one reads back as what was given.
    for (const built of [text, plain, file, bytes, dict]) {
      const read = await readEmscEnvelope(fixture(built.data!));
      expect(read.header.agency).toBe('GFZ');
    }
  });

  it('emsc: payloads the envelope cannot carry are HmbEmscError', async () => {
    const options = { agency: 'GFZ' };
    for (const [payload, problem] of [
      [{ kind: 'text', text: 'x', encoding: 'latin1' }, 'bad-encoding'],
      [{ kind: 'dict', data: { _type: 'STR' } }, 'bad-field'],
      [{ kind: 'file', file: '/etc/passwd', content: new Uint8Array() }, 'bad-field'],
    ] as const) {
      const error = await emscMessage('Q', payload, options).catch((e: unknown) => e);
      expect(isHmbError(error, 'HMB_ERR_EMSC')).toBe(true);
      expect((error as HmbEmscError).problem).toBe(problem);
    }
  });
});

describe('emsc: through the embedded bus', () => {
  let bus: TestBus;
  afterEach(() => bus?.close());

  it('emsc: what emscMessage publishes over BSON is stored as the envelope and decodeEmsc reads it back, in order', async () => {
    bus = await startTestBus();
    const client = new HmbClient(bus.url, { format: 'bson' });
    try {
      const options = { agency: 'EMSC', creationtime: created };
      const built = await Promise.all([
        emscMessage('EQ', { kind: 'text', text: xml }, options),
        emscMessage('EQ', { kind: 'bytes', bytes: new Uint8Array([7, 7]) }, options),
        emscMessage('EQ', { kind: 'file', file: 'ev.xml', content: Buffer.from(xml) }, options),
        emscMessage('EQ', { kind: 'dict', data: { magnitude: 4.5 } }, options),
      ]);
      await client.send(built);
      // The stored bytes, read raw: creationtime a BSON datetime, content BSON binary subtype 0.
      const raw = await rawRecv(bus.url, 'EQ');
      expect(raw).toHaveLength(4);
      expect(raw[0]!['data']).toMatchObject({
        _header: { creationtime: created },
        content: expect.any(Binary),
      });
      expect((raw[0]!['data'] as { content: Binary }).content.sub_type).toBe(0);
      const decoded = await lastValueFrom(
        client.recvAll({ queue: { EQ: { seq: 0 } } }).pipe(decodeEmsc(), toArray()),
      );
      expect(decoded.map((d) => d.payload.kind)).toEqual(['text', 'bytes', 'file', 'dict']);
      expect(decoded.map((d) => d.message.seq)).toEqual([0, 1, 2, 3]);
      expect(decoded[0]!.payload).toEqual({ kind: 'text', text: xml, encoding: 'utf-8' });
      expect(decoded[3]!.payload).toEqual({ kind: 'dict', data: { magnitude: 4.5 } });
      expect(decoded[0]!.header.creationtime).toEqual(created);
    } finally {
      await client.close();
    }
  });

  it('emsc: a JSON session reads the same envelopes from the original rendering (base64, RFC 3339)', async () => {
    bus = await startTestBus();
    await publish(
      bus.url,
      [
        { type: 'EMSC_MSG', queue: 'EQ', data: fixtures.file },
        { type: 'EMSC_MSG', queue: 'EQ', data: fixtures.strZlib },
      ],
      { format: 'bson' },
    );
    const client = new HmbClient(bus.url, { format: 'json' });
    try {
      const decoded = await lastValueFrom(
        client.recvAll({ queue: { EQ: { seq: 0 } } }).pipe(decodeEmsc(), toArray()),
      );
      expect(decoded[0]!.payload).toMatchObject({ kind: 'file', file: 'event.xml' });
      expect(Buffer.from((decoded[0]!.payload as { content: Uint8Array }).content).toString()).toBe(
        xml,
      );
      expect(decoded[1]!.payload).toEqual({ kind: 'text', text: xml, encoding: 'utf-8' });
      expect(decoded[1]!.header.creationtime).toEqual(created);
    } finally {
      await client.close();
    }
  });

  it('emsc: a JSON client refuses to send an envelope (it is BSON-only)', async () => {
    bus = await startTestBus();
    const client = new HmbClient(bus.url, { format: 'json' });
    try {
      const message = await emscMessage(
        'EQ',
        { kind: 'text', text: 'x' },
        { agency: 'EMSC', compress: false },
      );
      const error = await client.send(message).catch((e: unknown) => e);
      expect(isHmbError(error, 'HMB_ERR_INVALID_MESSAGE')).toBe(true);
      expect((error as Error).message).toContain('BSON-only');
    } finally {
      await client.close();
    }
  });
});

describe('emsc: decodeEmsc on a stream', () => {
  const message = (seq: number, type: string, data: unknown): HmbMessage => ({
    kind: 'message',
    type,
    queue: 'Q',
    seq,
    data,
  });

  it("decodeEmsc: other types and broken envelopes error by default, are skipped with 'drop', reported to a function", async () => {
    const good = fixture(fixtures.binPlain);
    const bad = fixture({ ...fixtures.bin, content: new Binary(Buffer.from('nope')) });
    const input = [
      message(0, 'EMSC_MSG', good),
      message(1, 'OTHER', {}),
      message(2, 'EMSC_MSG', bad),
      message(3, 'EMSC_MSG', good),
    ];
    const failure = await lastValueFrom(of(...input).pipe(decodeEmsc(), toArray())).catch(
      (e: unknown) => e,
    );
    expect((failure as HmbEmscError).problem).toBe('not-emsc');
    const dropped = await lastValueFrom(
      of(...input).pipe(decodeEmsc({ onInvalid: 'drop' }), toArray()),
    );
    expect(dropped.map((d: HmbEmscMessage) => d.message.seq)).toEqual([0, 3]);
    const told: string[] = [];
    const reported = await lastValueFrom(
      of(...input).pipe(
        decodeEmsc({ onInvalid: (e, m) => told.push(`${m.seq}:${e.problem}`) }),
        toArray(),
      ),
    );
    expect(reported).toHaveLength(2);
    expect(told).toEqual(['1:not-emsc', '2:bad-zlib']);
  });
});

/** The EMSC documents of a queue as the bus stores them, read with plain HTTP and js-bson. */
async function rawRecv(busUrl: string, queue: string): Promise<Record<string, unknown>[]> {
  const docs = await storedDocs(busUrl, queue, { promoteBuffers: false });
  return docs.filter((d) => d['type'] === 'EMSC_MSG');
}
