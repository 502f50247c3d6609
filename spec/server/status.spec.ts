import { msgs, useTestBuses } from '../helpers/raw-http';

interface Status {
  session: Record<
    string,
    Record<string, unknown> & { queue: Record<string, Record<string, unknown>> }
  >;
}

describe('server /status', () => {
  const start = useTestBuses();

  it('server /status: a fresh bus has no sessions', async () => {
    const bus = await start();
    const res = await bus.req('/status');
    expect(res.text).toBe('{"session":{}}');
    expect(res.headers['content-type']).toBe('application/json');
  });

  it('server /status: shows every parameter, null for unset, in the original field order', async () => {
    const bus = await start();
    await bus.seed(msgs('Q', 3));
    const ack = await bus.open({
      cid: 'statcid',
      heartbeat: 7,
      recv_limit: 3,
      queue: {
        Q: {
          topics: ['A*', '!AB'],
          seq: 1,
          endseq: 5,
          starttime: '2020-01-01T00:00:00Z',
          endtime: '2021-01-01T00:00:00.123Z',
          qlen: 10,
          oowait: 2,
          keep: false,
        },
        NOPE: {},
      },
    });
    const res = await bus.req('/status');
    const status = JSON.parse(res.text) as Status;
    const s = status.session[ack.sid]!;
    expect(s).toMatchObject({
      cid: 'statcid',
      sent: 0,
      received: 0,
      format: 'JSON',
      heartbeat: 7,
      recv_limit: 3,
    });
    expect(s['address']).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(s['ctime']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    // The failed queue is not listed.
    expect(s.queue).toEqual({
      Q: {
        topics: ['A*', '!AB'],
        seq: 1,
        endseq: 5,
        starttime: '2020-01-01T00:00:00.000000Z',
        endtime: '2021-01-01T00:00:00.123000Z',
        qlen: 10,
        oowait: 2,
        keep: false,
        seedlink: false,
        eof: false,
      },
    });
    expect(res.text).toContain(
      `"${ack.sid}":{"cid":"statcid","address":"${s['address'] as string}","ctime":"${s['ctime'] as string}","sent":0,"received":0,"format":"JSON","heartbeat":7,"recv_limit":3,"queue":{"Q":{"topics":["A*","!AB"],"seq":1,"endseq":5,`,
    );
  });

  it('server /status: unset heartbeat and recv_limit are 0, unset queue fields null', async () => {
    const bus = await start();
    const ack = await bus.openBson({ queue: { ANNOUNCEMENT: {} } });
    const status = await bus.getJson<Status>('status');
    const s = status.session[ack.sid]!;
    expect(s).toMatchObject({ heartbeat: 0, recv_limit: 0, format: 'BSON' });
    expect(s.queue['ANNOUNCEMENT']).toEqual({
      topics: null,
      seq: 0,
      endseq: null,
      starttime: null,
      endtime: null,
      qlen: null,
      oowait: null,
      keep: true,
      seedlink: false,
      eof: false,
    });
  });

  it('server /status: sent counts /send bodies (not /open), received counts /recv bytes, seq and eof follow delivery', async () => {
    const bus = await start();
    const sender = await bus.open({ cid: 'a' });
    const body = JSON.stringify({ 0: { type: 'T', queue: 'Q', data: 1 } });
    await bus.sendJson(sender.sid, body);
    const reader = await bus.open({ queue: { Q: { seq: 0, keep: false } } });
    const res = await bus.recv(reader.sid);
    const status = await bus.getJson<Status>('status');
    expect(status.session[sender.sid]).toMatchObject({
      sent: Buffer.byteLength(body),
      received: 0,
    });
    expect(status.session[reader.sid]).toMatchObject({ sent: 0, received: res.body.length });
    expect(status.session[reader.sid]!.queue['Q']).toMatchObject({ seq: 1, eof: true });
  });
});
