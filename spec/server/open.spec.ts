import { deserialize, Double, Int32, Long, serialize } from 'bson';
import { useTestBuses } from '../helpers/raw-http';

const SID = /^[A-Za-z0-9_-]{16}$/;

describe('server /open', () => {
  const start = useTestBuses();

  it('server /open: answers JSON with sid, cid and per-queue acks, with Content-Length, errors in a 200', async () => {
    const bus = await start();
    const res = await bus.openRaw({
      cid: 'mycid',
      heartbeat: 5,
      recv_limit: 10,
      queue: { ANNOUNCEMENT: {}, NOPE: { seq: 0 } },
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    const ack = JSON.parse(res.text) as { sid: string };
    expect(res.text).toBe(
      `{"sid":"${ack.sid}","cid":"mycid","queue":{"ANNOUNCEMENT":{"seq":0,"error":null},"NOPE":{"seq":null,"error":"queue not found"}}}`,
    );
  });

  it('server /open: the sid is 12 bytes (microsecond time + 4 random) in URL-safe base64; a missing cid is 16 random characters', async () => {
    const bus = await start();
    const before = BigInt(Date.now()) * 1000n;
    const ack = await bus.open({});
    expect(ack.sid).toMatch(SID);
    const bytes = Buffer.from(ack.sid, 'base64url');
    expect(bytes.length).toBe(12);
    const micros = bytes.readBigUInt64BE(0);
    expect(micros >= before - 1000n && micros <= before + 5_000_000n).toBe(true);
    expect(ack.cid).toMatch(SID);
    expect((await bus.open({})).cid).not.toBe(ack.cid);
  });

  it('server /open: any string is a cid, and sessions may share one', async () => {
    const bus = await start();
    expect((await bus.open({ cid: 'a b/c' })).cid).toBe('a b/c');
    const a = await bus.open({ cid: 'same' });
    const b = await bus.open({ cid: 'same' });
    expect(a.sid).not.toBe(b.sid);
  });

  it('server /open: BSON request gets a BSON answer, seq as int64 and error as null or string', async () => {
    const bus = await start();
    const res = await bus.openBsonRaw({ cid: 'b', queue: { ANNOUNCEMENT: {}, NOPE: {} } });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/bson');
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    const doc = deserialize(res.body, { promoteLongs: false });
    expect(Object.keys(doc)).toEqual(['sid', 'cid', 'queue']);
    expect(doc['queue'].ANNOUNCEMENT.seq).toBeInstanceOf(Long);
    expect(doc['queue'].ANNOUNCEMENT.error).toBeNull();
    expect(doc['queue'].NOPE).toEqual({ seq: null, error: 'queue not found' });
  });

  it('server /open: JSON only under exactly application/json; anything else is read as BSON', async () => {
    const bus = await start();
    for (const type of ['application/json; charset=utf-8', 'text/json', 'Application/JSON', '']) {
      const res = await bus.req('/open', {
        method: 'POST',
        headers: type === '' ? {} : { 'content-type': type },
        body: '{}',
      });
      expect([type, res.status, res.text]).toEqual([type, 400, 'Document is corrupted\n']);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    const bson = await bus.req('/open', { method: 'POST', body: Buffer.from(serialize({})) });
    expect(bson.status).toBe(200);
    expect(bson.headers['content-type']).toBe('application/bson');
  });

  it('server /open: {} is valid (no queues) and /recv answers EOF at once; so does a session whose queues all failed', async () => {
    const bus = await start();
    for (const params of [{}, { queue: { NOPE: {} } }]) {
      const ack = await bus.open(params);
      const res = await bus.recv(ack.sid);
      expect(res.text).toBe('{"0":{"type":"EOF"}}');
    }
  });

  it.each([
    ['"x"', 'string'],
    ['[1]', 'array'],
    ['5', 'number'],
    ['true', 'bool'],
  ])(
    "server /open: a JSON filter %s that is not an object fails the whole /open with Go's type error",
    async (filter, kind) => {
      const bus = await start();
      const res = await bus.openRaw(`{"queue":{"ANNOUNCEMENT":{"filter":${filter}}}}`);
      expect([res.status, res.text]).toEqual([
        400,
        `json: cannot unmarshal ${kind} into Go struct field OpenParamQueue.queue.filter of type map[string]interface {}\n`,
      ]);
      const nullFilter = await bus.open({ queue: { ANNOUNCEMENT: { filter: null } } });
      expect(nullFilter.queue['ANNOUNCEMENT']).toEqual({ seq: 0, error: null });
    },
  );

  it('server /open: a BSON element of an unknown kind is "Unknown element kind (0x99)"', async () => {
    const bus = await start();
    const doc = Buffer.from(serialize({ cid: 'c', k: 1 }));
    doc[doc.indexOf(Buffer.from('k\0')) - 1] = 0x99;
    const res = await bus.openBsonRaw(doc);
    expect([res.status, res.text]).toEqual([400, 'Unknown element kind (0x99)\n']);
  });

  it('server /open: per-queue errors: queue not found wins over a bad topic; bad topics; filter errors', async () => {
    const bus = await start();
    await bus.seed([{ type: 'T', queue: 'Q' }]);
    const ack = await bus.open({
      queue: {
        NOPE: { topics: ['bad topic'] },
        Q: { topics: ['T1', 'bad topic'] },
        ANNOUNCEMENT: { filter: { 'data.i': { $foo: 1 } } },
      },
    });
    expect(ack.queue).toEqual({
      NOPE: { seq: null, error: 'queue not found' },
      Q: { seq: null, error: 'topic contains invalid characters' },
      ANNOUNCEMENT: { seq: null, error: 'unknown operator: $foo' },
    });
  });

  it('server /open: a queue given as null and an empty topic pattern get per-queue errors (the original crashes)', async () => {
    const bus = await start();
    await bus.seed([{ type: 'T', queue: 'Q' }]);
    const ack = await bus.open({ queue: { Q: null, ANNOUNCEMENT: { topics: [''] } } });
    expect(ack.queue).toEqual({
      Q: { seq: null, error: 'invalid queue parameters' },
      ANNOUNCEMENT: { seq: null, error: 'topic contains invalid characters' },
    });
    const bson = await bus.openBson({ queue: { Q: null, ANNOUNCEMENT: 5 } });
    expect(bson.queue['Q']!.error).toBe('invalid queue parameters');
    expect(bson.queue['ANNOUNCEMENT']!.error).toBe('invalid queue parameters');
  });

  it.each([
    ['{b', "invalid character 'b' looking for beginning of object key string"],
    ['', 'EOF'],
    ['   ', 'EOF'],
    ['{"a":1', 'unexpected EOF'],
    ['[]', 'json: cannot unmarshal array into Go value of type main.OpenParam'],
    [
      '{"heartbeat":"x"}',
      'json: cannot unmarshal string into Go struct field OpenParam.heartbeat of type int',
    ],
    [
      '{"heartbeat":2.5}',
      'json: cannot unmarshal number 2.5 into Go struct field OpenParam.heartbeat of type int',
    ],
    [
      '{"cid":5}',
      'json: cannot unmarshal number into Go struct field OpenParam.cid of type string',
    ],
    [
      '{"queue":[]}',
      'json: cannot unmarshal array into Go struct field OpenParam.queue of type map[string]*main.OpenParamQueue',
    ],
    [
      '{"queue":{"Q":{"keep":"x"}}}',
      'json: cannot unmarshal string into Go struct field OpenParamQueue.queue.keep of type bool',
    ],
    [
      '{"queue":{"Q":{"topics":"T"}}}',
      'json: cannot unmarshal string into Go struct field OpenParamQueue.queue.topics of type []string',
    ],
    ['{"queue":{"Q":{"seq":0.0}}}', 'strconv.ParseInt: parsing "0.0": invalid syntax'],
    ['{"queue":{"Q":{"seq":5.0}}}', 'strconv.ParseInt: parsing "5.0": invalid syntax'],
    ['{"queue":{"Q":{"seq":"0"}}}', 'strconv.ParseInt: parsing "\\"0\\"": invalid syntax'],
    [
      '{"queue":{"Q":{"endseq":99999999999999999999}}}',
      'strconv.ParseInt: parsing "99999999999999999999": value out of range',
    ],
    ['\u001f\u008b', "invalid character '\\x1f' looking for beginning of value"],
  ])('server /open: whole-request error for %j', async (body, text) => {
    const bus = await start();
    const res = await bus.openRaw(body);
    expect(res.status).toBe(400);
    expect(res.text).toBe(`${text}\n`);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
  });

  it('server /open: unknown fields are ignored and keys match case-insensitively, as Go does', async () => {
    const bus = await start();
    const ack = await bus.open({
      CID: 'upper',
      whatever: [1, 2],
      queue: { ANNOUNCEMENT: { SEQ: 0, nope: true } },
    });
    expect(ack.cid).toBe('upper');
    expect(ack.queue['ANNOUNCEMENT']).toEqual({ seq: 0, error: null });
  });

  it('server /open: BSON errors: corrupt or empty document, seq or endseq as a double', async () => {
    const bus = await start();
    expect((await bus.openBsonRaw(Buffer.alloc(0))).text).toBe('Document is corrupted\n');
    expect((await bus.openBsonRaw(Buffer.from([5, 0, 0, 0, 1]))).text).toBe(
      'Document is corrupted\n',
    );
    for (const field of ['seq', 'endseq']) {
      const res = await bus.openBsonRaw({ queue: { ANNOUNCEMENT: { [field]: new Double(1) } } });
      expect([res.status, res.text]).toEqual([400, 'invalid Sequence\n']);
    }
    // js-bson writes 3000000000 as a double: refused; as a Long it is fine.
    expect((await bus.openBsonRaw({ queue: { ANNOUNCEMENT: { seq: 3_000_000_000 } } })).text).toBe(
      'invalid Sequence\n',
    );
    expect(
      (await bus.openBsonRaw({ queue: { ANNOUNCEMENT: { seq: Long.fromNumber(3_000_000_000) } } }))
        .status,
    ).toBe(200);
  });

  it('server /open: BSON plain integers are lax: a string heartbeat is ignored, 2.5 becomes 2', async () => {
    const bus = await start();
    const a = await bus.openBson({ heartbeat: 'x', recv_limit: new Int32(4) });
    const b = await bus.openBson({ heartbeat: new Double(2.5) });
    const status = await bus.getJson<{
      session: Record<string, { heartbeat: number; recv_limit: number }>;
    }>('status');
    expect(status.session[a.sid]).toMatchObject({ heartbeat: 0, recv_limit: 4 });
    expect(status.session[b.sid]).toMatchObject({ heartbeat: 2 });
  });

  it('server /open: GET gets an empty 405', async () => {
    const bus = await start();
    const res = await bus.req('/open');
    expect([res.status, res.body.length]).toEqual([405, 0]);
  });
});
