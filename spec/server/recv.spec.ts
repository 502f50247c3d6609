import {
  Binary,
  BSONRegExp,
  Decimal128,
  deserialize,
  Double,
  Int32,
  Long,
  ObjectId,
  serialize,
  Timestamp,
} from 'bson';
import { decodeBsonDocs, msgs, rawSocket, sleep, useTestBuses } from '../helpers/raw-http';

describe('server /recv', () => {
  const start = useTestBuses();

  it('server /recv: a long poll returns as soon as a message is sent', async () => {
    const bus = await start();
    const sender = await bus.seed(msgs('Q', 1));
    const ack = await bus.open({ queue: { Q: {} } });
    const t0 = Date.now();
    const pending = bus.recvJson(ack.sid);
    await sleep(300);
    await bus.send(sender, msgs('Q', 1));
    const frames = await pending;
    expect(frames).toEqual([{ type: 'T', queue: 'Q', sender: 'snd', seq: 1, data: { i: 0 } }]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  it('server /recv: one answer holds every ready message across queues, keys counting from 0, chunked', async () => {
    const bus = await start();
    await bus.seed([...msgs('Q1', 3), ...msgs('Q2', 2)]);
    const ack = await bus.open({ queue: { Q1: { seq: 0 }, Q2: { seq: 0 } } });
    const res = await bus.recv(ack.sid);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers['content-length']).toBeUndefined();
    const list = JSON.parse(res.text) as Record<string, { queue: string; seq: number }>;
    expect(Object.keys(list)).toEqual(['0', '1', '2', '3', '4']);
    expect(Object.values(list).map((m) => `${m.queue}/${m.seq}`)).toEqual([
      'Q1/0',
      'Q1/1',
      'Q1/2',
      'Q2/0',
      'Q2/1',
    ]);
  });

  it('server /recv: the original framing: field order, unset fields left out, data keys sorted, EOF last', async () => {
    const bus = await start();
    await bus.seed(
      [
        { data: { x: 1 }, topic: 'PICK', queue: 'Q1', type: 'T1' },
        { type: 'T', queue: 'Q1' },
        {
          type: 'T',
          queue: 'Q1',
          endtime: '2020-01-01T00:00:10.5Z',
          starttime: '2020-01-01T00:00:00Z',
        },
        { type: 'T1', queue: 'Q2', data: 'a string' },
      ],
      'sender1',
    );
    const ack = await bus.open({
      queue: { Q1: { seq: 0, keep: false }, Q2: { seq: 0, keep: false } },
    });
    expect((await bus.recv(ack.sid)).text).toBe(
      '{"0":{"type":"T1","queue":"Q1","sender":"sender1","topic":"PICK","seq":0,"data":{"x":1}},' +
        '"1":{"type":"T","queue":"Q1","sender":"sender1","seq":1},' +
        '"2":{"type":"T","queue":"Q1","sender":"sender1","seq":2,"starttime":"2020-01-01T00:00:00.000000Z","endtime":"2020-01-01T00:00:10.500000Z"},' +
        '"3":{"type":"T1","queue":"Q2","sender":"sender1","seq":0,"data":"a string"},"4":{"type":"EOF"}}',
    );
  });

  it('server /recv: JSON data as Go re-encodes it: keys sorted at every level, -0 kept, float64 numbers, HTML-safe escapes', async () => {
    const bus = await start();
    const sid = await bus.seed([]);
    await bus.sendJson(
      sid,
      '{"0":{"type":"T","queue":"Q","data":{"z":{"b":1,"a":[{"d":1,"c":2}]},"a":-0,"big":9007199254740993,"e":1e21,"s":1e-7,"h":"<a&b>\\u2028","u":"\\ud800 é"}}}',
    );
    const ack = await bus.open({ queue: { Q: { seq: 0, keep: false } } });
    const text = (await bus.recv(ack.sid)).text;
    expect(text).toContain(
      '"data":{"a":-0,"big":9007199254740992,"e":1e+21,"h":"\\u003ca\\u0026b\\u003e\\u2028","s":1e-7,"u":"\ufffd é","z":{"a":[{"c":2,"d":1}],"b":1}}',
    );
  });

  it('server /recv: a BSON session gets numbers that arrived as JSON as BSON doubles, seq as int64, times as strings', async () => {
    const bus = await start();
    const sid = await bus.seed([]);
    await bus.sendJson(
      sid,
      '{"0":{"type":"T","queue":"Q","starttime":"2020-01-01T00:00:00Z","data":{"x":1,"y":[2,-0],"s":"str"}}}',
    );
    const ack = await bus.openBson({ queue: { Q: { seq: 0, keep: false } } });
    const res = await bus.recv(ack.sid);
    expect(res.headers['content-type']).toBe('application/bson');
    const docs = decodeBsonDocs(res.body);
    expect(docs[0]!['seq']).toEqual(Long.fromNumber(0));
    expect(docs[0]!['starttime']).toBe('2020-01-01T00:00:00.000000Z');
    expect(docs[0]!['data']).toEqual({
      x: new Double(1),
      y: [new Double(2), new Double(-0)],
      s: 'str',
    });
    expect(docs[1]).toEqual({ type: 'EOF' });
  });

  it('server /recv: BSON payload values keep their types to a BSON session (raw bytes) and render for a JSON session as the original does', async () => {
    const bus = await start();
    const sid = await bus.seed([]);
    const data = {
      date: new Date(Date.UTC(2020, 0, 2, 3, 4, 5, 678)),
      bin: new Binary(Buffer.from([1, 2, 3])),
      uuid: new Binary(Buffer.from([1, 2, 3]), 4),
      big: Long.fromString('9007199254740993'),
      oid: new ObjectId('0123456789abcdef01234567'),
      dec: Decimal128.fromString('1.5'),
      re: new BSONRegExp('ab+', 'i'),
      ts: new Timestamp({ t: 1, i: 2 }),
      nul: null,
      arr: [new Int32(1), 'x'],
      dbl: new Double(2),
      nan: new Double(Number.NaN),
    };
    const body = Buffer.from(serialize({ type: 'T', queue: 'Q', data }));
    expect((await bus.sendBson(sid, body)).status).toBe(204);
    const bsonAck = await bus.openBson({ queue: { Q: { seq: 0, keep: false } } });
    const bsonDoc = decodeBsonDocs((await bus.recv(bsonAck.sid)).body)[0]!;
    // The payload bytes are forwarded untouched.
    const sentData = serialize({ data });
    const gotData = serialize({ data: bsonDoc['data'] }, { ignoreUndefined: false });
    expect(Buffer.from(gotData)).toEqual(Buffer.from(sentData));
    const jsonAck = await bus.open({ queue: { Q: { seq: 0, keep: false } } });
    const text = (await bus.recv(jsonAck.sid)).text;
    expect(text).toContain(
      '"data":{"arr":[1,"x"],"big":9007199254740993,"bin":"AQID","date":"2020-01-02T03:04:05.678Z","dbl":2,"dec":{},"nan":null,"nul":null,' +
        '"oid":"0123456789abcdef01234567","re":{"Pattern":"ab+","Options":"i"},"ts":4294967298,"uuid":{"Kind":4,"Data":"AQID"}}',
    );
  });

  it('server /recv: BSON undefined values are left out for a JSON session', async () => {
    const bus = await start();
    const sid = await bus.seed([]);
    // js-bson writes undefined as null, so the element type is patched to 0x06 (undefined).
    const body = Buffer.from(serialize({ type: 'T', queue: 'Q', data: { a: null, b: 1 } }));
    const at = body.indexOf(Buffer.from([0x0a, 0x61, 0x00]));
    body[at] = 0x06;
    await bus.sendBson(sid, body);
    const ack = await bus.open({ queue: { Q: { seq: 0, keep: false } } });
    expect((await bus.recv(ack.sid)).text).toContain('"data":{"b":1}');
  });

  it('server /recv: nothing at all, not even the status line, is written while it waits', async () => {
    const bus = await start();
    const sender = await bus.seed(msgs('Q', 1));
    const ack = await bus.open({ queue: { Q: {} } });
    const waiting = rawSocket(
      bus.server.port,
      `GET /test/recv/${ack.sid} HTTP/1.1\r\nHost: x\r\n\r\n`,
      1500,
    );
    await sleep(1000);
    await bus.send(sender, msgs('Q', 1));
    const seen = await waiting;
    expect(seen.chunks.length).toBeGreaterThan(0);
    expect(seen.chunks[0]!.atMs).toBeGreaterThanOrEqual(950);
    expect(seen.data.toString('latin1')).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  });

  it('server /recv: chunks are cut every 2048 bytes, regardless of message boundaries', async () => {
    const bus = await start();
    await bus.seed(msgs('Q', 100, () => ({ topic: 'X' })));
    const ack = await bus.open({ queue: { Q: { seq: 0, keep: false } } });
    const seen = await rawSocket(
      bus.server.port,
      `GET /test/recv/${ack.sid} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      2000,
    );
    const raw = seen.data.toString('latin1');
    const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
    const sizes: number[] = [];
    let rest = body;
    for (;;) {
      const eol = rest.indexOf('\r\n');
      const size = parseInt(rest.slice(0, eol), 16);
      if (size === 0) break;
      sizes.push(size);
      rest = rest.slice(eol + 2 + size + 2);
    }
    expect(sizes.length).toBeGreaterThan(2);
    expect(sizes.slice(0, -1).every((s) => s === 2048)).toBe(true);
    expect(sizes[sizes.length - 1]!).toBeLessThanOrEqual(2048);
  });

  it('server /recv: after EOF every /recv answers EOF at once (continuity still required)', async () => {
    const bus = await start();
    await bus.seed(msgs('Q', 2));
    const ack = await bus.open({ queue: { Q: { seq: 0, keep: false } } });
    expect((await bus.recvJson(ack.sid)).pop()).toEqual({ type: 'EOF' });
    for (let i = 0; i < 2; i++)
      expect((await bus.recv(ack.sid, '/Q/1')).text).toBe('{"0":{"type":"EOF"}}');
    expect((await bus.recv(ack.sid)).status).toBe(400);
  });

  it('server /recv: EOF comes only when every queue has ended', async () => {
    const bus = await start();
    await bus.seed([...msgs('Q1', 1), ...msgs('Q2', 1)]);
    const ack = await bus.open({ queue: { Q1: { seq: 0, keep: false }, Q2: { seq: 0 } } });
    const frames = await bus.recvJson(ack.sid);
    expect(frames.map((f) => f['type'])).toEqual(['T', 'T']);
  });

  it('server /recv: a client that disconnects ends the wait at once and the session becomes idle', async () => {
    const bus = await start({ maxSessionsPerIp: 1 });
    await bus.seed(msgs('Q', 1));
    const a = await bus.open({ queue: { Q: {} } });
    const abort = new AbortController();
    const pending = bus.recv(a.sid, '', abort.signal).catch(() => 'aborted');
    await sleep(100);
    expect((await bus.openRaw({})).status).toBe(503);
    abort.abort();
    expect(await pending).toBe('aborted');
    await sleep(50);
    expect((await bus.openRaw({})).status).toBe(200);
    expect((await bus.recv(a.sid)).text).toBe('invalid session\n');
  });

  it('server /recv: two concurrent /recv on one session: closing the first does not leave the second deaf', async () => {
    const bus = await start();
    const sender = await bus.seed(msgs('Q', 1));
    const ack = await bus.open({ queue: { Q: {} } });
    const abort = new AbortController();
    const first = bus.recv(ack.sid, '', abort.signal).catch(() => 'aborted');
    await sleep(50);
    const second = bus.recvJson(ack.sid);
    await sleep(50);
    abort.abort();
    await first;
    await bus.send(sender, msgs('Q', 1));
    const t0 = Date.now();
    expect((await second).map((f) => f['seq'])).toEqual([1]);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('server /recv: a wrong number of path parts is 404; POST is 405; an unknown sid is 400', async () => {
    const bus = await start();
    await bus.seed(msgs('Q', 1));
    const ack = await bus.open({ queue: { Q: { seq: 0 } } });
    for (const path of [`/recv/${ack.sid}/Q`, `/recv/${ack.sid}/Q/7/9`, '/recv']) {
      const res = await bus.req(path);
      expect([path, res.status, res.text]).toEqual([path, 404, '404 page not found\n']);
    }
    expect((await bus.req(`/recv/${ack.sid}`, { method: 'POST' })).status).toBe(405);
    expect((await bus.recv('nosuchsession000')).text).toBe('invalid session\n');
  });

  it('server /recv: a BSON sender to a BSON session keeps the document bytes of data exactly', async () => {
    const bus = await start();
    const sid = await bus.seed([]);
    const data = { b: new Int32(1), a: 'x', n: { z: 1.5, y: [true] } };
    await bus.sendBson(sid, [{ type: 'T', queue: 'Q', data }]);
    const ack = await bus.openBson({ queue: { Q: { seq: 0, keep: false } } });
    const body = (await bus.recv(ack.sid)).body;
    const doc = deserialize(body.subarray(0, body.readInt32LE(0)), { promoteValues: false });
    expect(Buffer.from(serialize({ d: doc['data'] }))).toEqual(Buffer.from(serialize({ d: data })));
  });
});
