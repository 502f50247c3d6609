import { Double, Int32, Long, serialize, type Document } from 'bson';
import fc from 'fast-check';
import { chunksOf, decodeBsonDocs, type TestBus, useTestBuses } from '../helpers/raw-http';

describe('server /send', () => {
  const start = useTestBuses();

  /** Everything stored in queue `q`, as a JSON session receives it. */
  async function stored(bus: TestBus, q: string): Promise<Array<Record<string, unknown>>> {
    const ack = await bus.open({ queue: { [q]: { seq: 0, keep: false } } });
    if (ack.queue[q]!.error !== null) return [];
    return bus.recvAll(ack.sid);
  }

  it('server /send: answers 204 with an empty body; several messages per request; the format is chosen per request', async () => {
    const bus = await start();
    const jsonSession = await bus.open({ cid: 'j' });
    const res = await bus.sendJson(jsonSession.sid, [
      { type: 'T', queue: 'Q', data: 1 },
      { type: 'T', queue: 'Q', data: 2 },
    ]);
    expect([res.status, res.body.length]).toEqual([204, 0]);
    expect((await bus.sendBson(jsonSession.sid, [{ type: 'T', queue: 'Q', data: 3 }])).status).toBe(
      204,
    );
    const bsonSession = await bus.openBson({ cid: 'b' });
    expect((await bus.sendJson(bsonSession.sid, [{ type: 'T', queue: 'Q', data: 4 }])).status).toBe(
      204,
    );
    expect((await stored(bus, 'Q')).map((m) => m['data'])).toEqual([1, 2, 3, 4]);
  });

  it.each([
    ['{"1":{"type":"T","queue":"Q"}}', 'invalid JSON message list'],
    ['{"a":{"type":"T","queue":"Q"}}', 'invalid JSON message list'],
    ['{"0":null}', 'invalid JSON message list'],
    ['{"0":{"type":"T","queue":"Q"},"2":{"type":"T","queue":"Q"}}', 'invalid JSON message list'],
    [
      '[{"type":"T","queue":"Q"}]',
      'invalid JSON data: json: cannot unmarshal array into Go value of type map[string]*main.Message',
    ],
    [
      '{"0":5}',
      'invalid JSON data: json: cannot unmarshal number into Go value of type main.Message',
    ],
    ['', 'invalid JSON data: EOF'],
    ['{"0":{"type":"T",', 'invalid JSON data: unexpected EOF'],
    [
      '{"0":{"type":"T" "queue":"Q"}}',
      "invalid JSON data: invalid character '\"' after object key:value pair",
    ],
    [
      '{"0":{"type":5,"queue":"Q"}}',
      'invalid JSON data: json: cannot unmarshal number into Go struct field Message.type of type string',
    ],
    [
      '{"0":{"type":"T","queue":["Q"]}}',
      'invalid JSON data: json: cannot unmarshal array into Go struct field Message.queue of type string',
    ],
    [
      '{"0":{"type":"T","queue":"Q","seq":"x"}}',
      'invalid JSON data: strconv.ParseInt: parsing "\\"x\\"": invalid syntax',
    ],
    [
      '{"0":{"type":"T","queue":"Q","seq":1.0}}',
      'invalid JSON data: strconv.ParseInt: parsing "1.0": invalid syntax',
    ],
    [
      '{"0":{"type":"T","queue":"Q","data":1e400}}',
      'invalid JSON data: json: cannot unmarshal number 1e400 into Go struct field Message.data of type float64',
    ],
    [
      '{"0":{"type":"T","queue":"Q","scMessageType":"x"}}',
      'invalid JSON data: json: cannot unmarshal string into Go struct field Message.scMessageType of type int',
    ],
    [
      '{"0":{"type":"T","queue":"Q","scMessageType":1.5}}',
      'invalid JSON data: json: cannot unmarshal number 1.5 into Go struct field Message.scMessageType of type int',
    ],
    [
      '{"0":{"type":"T","queue":"Q","gdacs":"x"}}',
      'invalid JSON data: json: cannot unmarshal string into Go struct field Message.gdacs of type map[string]interface {}',
    ],
    ['{"0":{"queue":"Q"}}', "invalid 'type'"],
    ['{"0":{"type":"","queue":"Q"}}', "invalid 'type'"],
    ['{"0":{"type":"EOF","queue":"Q"}}', "invalid 'type'"],
    ['{"0":{"type":"NEW_QUEUE","queue":"Q"}}', "invalid 'type'"],
    ['{"0":{"type":"T"}}', "invalid 'queue'"],
    ['{"0":{"type":"T","queue":""}}', "invalid 'queue'"],
    ['{"0":{"type":"T","queue":"Q","topic":"a-b"}}', "invalid 'topic'"],
    ['{"0":{"type":"T","queue":"Q","topic":"a b"}}', "invalid 'topic'"],
    ['{"0":{"type":"T","queue":"Q","seq":-1}}', "invalid 'seq'"],
  ])('server /send: JSON %s → 400 %s', async (body, text) => {
    const bus = await start();
    const sid = await bus.seed([]);
    const res = await bus.sendJson(sid, body);
    expect([res.status, res.text]).toEqual([400, `${text}\n`]);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('server /send: {} stores nothing; text after the first value is ignored; key order in the text does not matter', async () => {
    const bus = await start();
    const sid = await bus.seed([]);
    expect((await bus.sendJson(sid, '{}')).status).toBe(204);
    expect(
      (await bus.sendJson(sid, '{"0":{"type":"T","queue":"Q","data":"a"}} trailing')).status,
    ).toBe(204);
    expect(
      (
        await bus.sendJson(
          sid,
          '{"1":{"type":"T","queue":"Q","data":"c"},"0":{"type":"T","queue":"Q","data":"b"}}',
        )
      ).status,
    ).toBe(204);
    expect((await stored(bus, 'Q')).map((m) => m['data'])).toEqual(['a', 'b', 'c']);
  });

  it('server /send: keys match case-insensitively and unknown fields are dropped, as Go decodes', async () => {
    const bus = await start();
    const sid = await bus.seed([]);
    expect(
      (await bus.sendJson(sid, '{"0":{"TYPE":"T","Queue":"Q","SEQ":3,"extra":1,"sender":"fake"}}'))
        .status,
    ).toBe(204);
    expect(await stored(bus, 'Q')).toEqual([{ type: 'T', queue: 'Q', sender: 'snd', seq: 3 }]);
  });

  it('server /send: BSON documents back to back; a truncated tail is dropped silently', async () => {
    const bus = await start();
    const sid = await bus.seed([]);
    const doc = (i: number): Buffer => Buffer.from(serialize({ type: 'T', queue: 'Q', data: i }));
    expect(
      (await bus.sendBson(sid, Buffer.concat([doc(0), doc(1), Buffer.from([1, 2])]))).status,
    ).toBe(204);
    const partial = doc(3);
    expect((await bus.sendBson(sid, Buffer.concat([doc(2), partial.subarray(0, 10)]))).status).toBe(
      204,
    );
    expect((await stored(bus, 'Q')).map((m) => m['data'])).toEqual([0, 1, 2]);
  });

  it('server /send: a BSON length over 16 MiB is invalid BSON size, and so is JSON under a non-JSON header', async () => {
    const bus = await start();
    const sid = await bus.seed([]);
    const huge = Buffer.alloc(8);
    huge.writeInt32LE(16 * 1024 * 1024 + 1, 0);
    expect((await bus.sendBson(sid, huge)).text).toBe('invalid BSON size\n');
    const res = await bus.req(`/send/${sid}`, {
      method: 'POST',
      headers: { 'content-type': 'text/json' },
      body: '{"0":{"type":"T","queue":"Q"}}',
    });
    expect([res.status, res.text]).toEqual([400, 'invalid BSON size\n']);
  });

  it.each<[string, Document, string]>([
    ['type of the wrong type', { type: 5, queue: 'Q' }, "invalid 'type'"],
    ['queue of the wrong type', { type: 'T', queue: 5 }, "invalid 'queue'"],
    ['EOF type', { type: 'EOF', queue: 'Q' }, "invalid 'type'"],
    [
      'seq as a double',
      { type: 'T', queue: 'Q', seq: new Double(1) },
      'invalid BSON data: invalid Sequence',
    ],
    ['seq as a string', { type: 'T', queue: 'Q', seq: '1' }, 'invalid BSON data: invalid Sequence'],
    ['negative seq', { type: 'T', queue: 'Q', seq: new Int32(-1) }, "invalid 'seq'"],
  ])('server /send: BSON %s → 400', async (_label, doc, text) => {
    const bus = await start();
    const sid = await bus.seed([]);
    const res = await bus.sendBson(sid, [doc]);
    expect([res.status, res.text]).toEqual([400, `${text}\n`]);
  });

  it('server /send: BSON legacy fields of the wrong type count as missing, as on the original (204): gdacs 5 or "x", scMessageType "x"; a double scMessageType is truncated', async () => {
    const bus = await start();
    const sid = await bus.seed([]);
    const res = await bus.sendBson(sid, [
      { type: 'T', queue: 'Q', gdacs: 5 },
      { type: 'T', queue: 'Q', gdacs: 'x' },
      { type: 'T', queue: 'Q', scMessageType: 'x' },
      { type: 'T', queue: 'Q', scMessageType: new Double(2.5) },
    ]);
    expect(res.status).toBe(204);
    const got = await stored(bus, 'Q');
    expect(got.map((m) => [m['seq'], m['gdacs'], m['scMessageType']])).toEqual([
      [0, undefined, undefined],
      [1, undefined, undefined],
      [2, undefined, undefined],
      [3, undefined, 2],
    ]);
  });

  it('server /send: a BSON element of an unknown kind is mgo\'s "Unknown element kind (0x99)"', async () => {
    const bus = await start();
    const sid = await bus.seed([]);
    const doc = Buffer.from(serialize({ type: 'T', queue: 'Q', k: 1 }));
    doc[doc.indexOf(Buffer.from('k\0')) - 1] = 0x99;
    const res = await bus.sendBson(sid, doc);
    expect([res.status, res.text]).toEqual([
      400,
      'invalid BSON data: Unknown element kind (0x99)\n',
    ]);
    doc[doc.indexOf(Buffer.from('k\0')) - 1] = 0x9a;
    expect((await bus.sendBson(sid, doc)).text).toBe(
      'invalid BSON data: Unknown element kind (0x9A)\n',
    );
  });

  it('server /send: a corrupt BSON document is invalid BSON data: Document is corrupted', async () => {
    const bus = await start();
    const sid = await bus.seed([]);
    const doc = Buffer.from(serialize({ type: 'T', queue: 'Q' }));
    doc[doc.length - 1] = 7;
    expect((await bus.sendBson(sid, doc)).text).toBe('invalid BSON data: Document is corrupted\n');
  });

  it('server /send: a BSON topic of the wrong type is accepted as no topic; seq as int32 or int64 works', async () => {
    const bus = await start();
    const sid = await bus.seed([]);
    const res = await bus.sendBson(sid, [
      { type: 'T', queue: 'Q', topic: 5 },
      { type: 'T', queue: 'Q', seq: new Int32(4) },
      { type: 'T', queue: 'Q', seq: Long.fromNumber(7) },
    ]);
    expect(res.status).toBe(204);
    expect((await stored(bus, 'Q')).map((m) => [m['seq'], m['topic']])).toEqual([
      [0, undefined],
      [4, undefined],
      [7, undefined],
    ]);
  });

  it('server /send: no atomicity: the messages before a bad one are stored and announced (JSON and BSON)', async () => {
    const bus = await start();
    const sid = await bus.seed([]);
    const res = await bus.sendJson(sid, [
      { type: 'T', queue: 'Q3' },
      { type: 'T' },
      { type: 'T', queue: 'Q3' },
    ]);
    expect(res.status).toBe(400);
    expect(await stored(bus, 'Q3')).toHaveLength(1);
    const bson = await bus.sendBson(sid, [
      { type: 'T', queue: 'Q4' },
      { type: 'EOF', queue: 'Q4' },
      { type: 'T', queue: 'Q4' },
    ]);
    expect(bson.text).toBe("invalid 'type'\n");
    expect(await stored(bus, 'Q4')).toHaveLength(1);
    expect((await stored(bus, 'ANNOUNCEMENT')).map((m) => m['data'])).toEqual([
      { name: 'Q3' },
      { name: 'Q4' },
    ]);
  });

  it('server /send: the first send to a queue announces it on ANNOUNCEMENT (no sender, no topic), in order', async () => {
    const bus = await start();
    const listener = await bus.open({ cid: 'snd', queue: { ANNOUNCEMENT: {} } });
    const sid = await bus.seed([
      { type: 'T', queue: 'NEWQ' },
      { type: 'T', queue: 'NEWQ2' },
      { type: 'T', queue: 'NEWQ' },
    ]);
    // Same cid as the sender, yet announcements arrive: they have no sender.
    const res = await bus.recv(listener.sid);
    expect(res.text).toBe(
      '{"0":{"type":"NEW_QUEUE","queue":"ANNOUNCEMENT","seq":0,"data":{"name":"NEWQ"}},"1":{"type":"NEW_QUEUE","queue":"ANNOUNCEMENT","seq":1,"data":{"name":"NEWQ2"}}}',
    );
    expect(
      (await bus.sendJson(sid, [{ type: 'CUSTOM', queue: 'ANNOUNCEMENT', data: 'hi' }])).status,
    ).toBe(204);
    const other = await bus.open({ queue: { ANNOUNCEMENT: { seq: 2 } } });
    expect((await bus.recvJson(other.sid))[0]).toEqual({
      type: 'CUSTOM',
      queue: 'ANNOUNCEMENT',
      sender: 'snd',
      seq: 2,
      data: 'hi',
    });
  });

  it('server /send: an explicit seq jumps ahead (a gap), overwrites an older one, or fills a gap', async () => {
    const bus = await start();
    const sid = await bus.seed([
      { type: 'T', queue: 'Q', data: 0 },
      { type: 'T', queue: 'Q', data: 1 },
      { type: 'T', queue: 'Q', data: 2 },
    ]);
    await bus.send(sid, [{ type: 'T', queue: 'Q', seq: 5, data: 5 }]);
    const info = await bus.getJson<{ queue: Record<string, { endseq: number }> }>('info');
    expect(info.queue['Q']!.endseq).toBe(6);
    await bus.send(sid, [
      { type: 'T', queue: 'Q', seq: 1, data: 'overwritten' },
      { type: 'T', queue: 'Q', seq: 3, data: 3 },
      { type: 'T', queue: 'Q', data: 6 },
    ]);
    expect((await stored(bus, 'Q')).map((m) => [m['seq'], m['data']])).toEqual([
      [0, 0],
      [1, 'overwritten'],
      [2, 2],
      [3, 3],
      [5, 5],
      [6, 6],
    ]);
  });

  it('server /send: HEARTBEAT is accepted with or without a queue and stores nothing', async () => {
    const bus = await start();
    const sid = await bus.seed([]);
    expect(
      (await bus.sendJson(sid, [{ type: 'HEARTBEAT' }, { type: 'HEARTBEAT', queue: 'HB' }])).status,
    ).toBe(204);
    const info = await bus.getJson<{ queue: Record<string, unknown> }>('info');
    expect(Object.keys(info.queue)).toEqual(['ANNOUNCEMENT']);
  });

  it('server /send: legacy fields pass through in both formats; data null is no data, topic "" is no topic, sender is the cid', async () => {
    const bus = await start();
    const sid = await bus.seed(
      [
        {
          type: 'T',
          queue: 'Q',
          sender: 'liar',
          topic: '',
          data: null,
          scMessageType: 7,
          scContentType: 'text/xml',
          gdacs: { b: 1, a: 'x' },
        },
      ],
      'me',
    );
    await bus.sendBson(sid, [
      {
        type: 'T',
        queue: 'Q',
        scMessageType: new Int32(8),
        gdacs: { z: new Int32(1) },
        data: null,
        topic: '',
      },
    ]);
    const frames = await stored(bus, 'Q');
    expect(frames[0]).toEqual({
      type: 'T',
      queue: 'Q',
      sender: 'me',
      seq: 0,
      scMessageType: 7,
      scContentType: 'text/xml',
      gdacs: { a: 'x', b: 1 },
    });
    expect(frames[1]).toEqual({
      type: 'T',
      queue: 'Q',
      sender: 'me',
      seq: 1,
      scMessageType: 8,
      gdacs: { z: 1 },
    });
    const ack = await bus.openBson({ queue: { Q: { seq: 0, keep: false } } });
    const docs = decodeBsonDocs((await bus.recv(ack.sid)).body);
    expect(Object.keys(docs[0]!)).toEqual([
      'type',
      'queue',
      'sender',
      'seq',
      'scMessageType',
      'scContentType',
      'gdacs',
    ]);
    expect(docs[0]!['scMessageType']).toEqual(new Int32(7));
  });

  it('server /send: any non-empty queue name works, including "a b/c" and "ü"', async () => {
    const bus = await start();
    const sid = await bus.seed([
      { type: 'T', queue: 'a b/c' },
      { type: 'T', queue: 'ü' },
    ]);
    expect(sid).toBeDefined();
    expect((await stored(bus, 'a b/c')).length).toBe(1);
    expect((await stored(bus, 'ü')).length).toBe(1);
  });

  it('server /send: senders never see their own messages; sessions sharing a cid do not see each other', async () => {
    const bus = await start();
    const a = await bus.open({ cid: 'shared', queue: { ANNOUNCEMENT: {} } });
    const b = await bus.open({ cid: 'shared' });
    const other = await bus.open({ cid: 'other' });
    await bus.send(b.sid, [{ type: 'T', queue: 'ANNOUNCEMENT', data: 'from b' }]);
    await bus.send(other.sid, [{ type: 'T', queue: 'ANNOUNCEMENT', data: 'from other' }]);
    expect((await bus.recvJson(a.sid)).map((f) => f['data'])).toEqual(['from other']);
  });

  it('server /send: unknown sid → 400 invalid session, no sid → 404, GET → 405', async () => {
    const bus = await start();
    expect((await bus.sendJson('AAAAAAAAAAAAAAAA', [{ type: 'T', queue: 'Q' }])).text).toBe(
      'invalid session\n',
    );
    expect((await bus.req('/send', { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await bus.req('/send/x')).status).toBe(405);
  });

  it('server /send: any JSON or BSON body cut into arbitrary chunks of a chunked upload stores the same messages', async () => {
    const bus = await start({ maxSessionsPerIp: 10_000 });
    const whole = bus;
    const chunked = bus.other('chunked');
    const sidWhole = await whole.seed([]);
    const sidChunked = await chunked.seed([]);
    const message = fc.record(
      {
        type: fc.constantFrom('A', 'B'),
        topic: fc.stringMatching(/^\w{0,4}$/),
        data: fc.jsonValue({ maxDepth: 3 }),
      },
      { requiredKeys: ['type'] },
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(message, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 8 }),
        async (list, json, rawCuts) => {
          const q = `q${run++}`;
          const withQueue = list.map((m) => ({ ...m, queue: q }));
          const body = json
            ? Buffer.from(
                JSON.stringify(Object.fromEntries(withQueue.map((m, i) => [String(i), m]))),
              )
            : Buffer.concat(withQueue.map((m) => Buffer.from(serialize(m))));
          const headers = { 'content-type': json ? 'application/json' : 'application/bson' };
          const a = await whole.req(`/send/${sidWhole}`, { method: 'POST', headers, body });
          const cuts = rawCuts.map((c) => c % body.length);
          const b = await chunked.req(`/send/${sidChunked}`, {
            method: 'POST',
            headers,
            body: chunksOf(body, cuts),
          });
          expect([b.status, b.text]).toEqual([a.status, a.text]);
          expect(await stored(chunked, q)).toEqual(await stored(whole, q));
        },
      ),
      { numRuns: 40 },
    );
  });
});
