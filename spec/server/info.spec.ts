import { msgs, useTestBuses } from '../helpers/raw-http';

describe('server /info', () => {
  const start = useTestBuses();

  it('server /info: a fresh bus has only ANNOUNCEMENT, all null', async () => {
    const bus = await start();
    const res = await bus.req('/info');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.text).toBe(
      '{"queue":{"ANNOUNCEMENT":{"startseq":null,"starttime":null,"endseq":null,"endtime":null,"topic":null}}}',
    );
  });

  it('server /info: topic is singular, endseq is last + 1, "" holds untopiced messages, topic endtime is the last seen', async () => {
    const bus = await start();
    await bus.seed([
      { type: 'T1', queue: 'Q1', topic: 'PICK', data: { x: 1 } },
      { type: 'T1', queue: 'Q1', topic: 'ORIGIN', data: { x: 2 } },
      { type: 'T', queue: 'Q1', endtime: '2020-01-01T00:00:05Z' },
      {
        type: 'T',
        queue: 'Q1',
        starttime: '2020-01-01T00:00:00Z',
        endtime: '2020-01-01T00:00:10.5Z',
      },
    ]);
    const info = JSON.parse((await bus.req('/info')).text) as { queue: Record<string, unknown> };
    expect(info.queue['ANNOUNCEMENT']).toEqual({
      startseq: 0,
      starttime: null,
      endseq: 1,
      endtime: null,
      topic: { '': { starttime: null, endtime: null } },
    });
    expect(info.queue['Q1']).toEqual({
      startseq: 0,
      starttime: null,
      endseq: 4,
      endtime: '2020-01-01T00:00:10.500000Z',
      topic: {
        PICK: { starttime: null, endtime: null },
        ORIGIN: { starttime: null, endtime: null },
        '': { starttime: null, endtime: '2020-01-01T00:00:10.500000Z' },
      },
    });
    // Field order is the original's struct order.
    expect((await bus.req('/info')).text).toContain(
      '"Q1":{"startseq":0,"starttime":null,"endseq":4,"endtime":"2020-01-01T00:00:10.500000Z","topic":{',
    );
  });

  it('server /info: queue endtime is null when the newest message has none, starttime is the oldest message start', async () => {
    const bus = await start();
    await bus.seed([
      {
        type: 'T',
        queue: 'Q',
        topic: 'A',
        starttime: '2020-01-01T00:00:00Z',
        endtime: '2020-01-01T00:00:10Z',
      },
      { type: 'T', queue: 'Q', topic: 'A' },
    ]);
    const info = await bus.getJson<{ queue: Record<string, Record<string, unknown>> }>('info');
    expect(info.queue['Q']).toMatchObject({
      starttime: '2020-01-01T00:00:00.000000Z',
      endtime: null,
      topic: { A: { starttime: null, endtime: '2020-01-01T00:00:10.000000Z' } },
    });
  });

  it('server /info: the RAM ring keeps the last queueLimit seqs (startseq 50 after 150 with a limit of 100)', async () => {
    const bus = await start({ queueLimit: 100 });
    await bus.seed(msgs('Q', 150));
    const info = await bus.getJson<{ queue: Record<string, Record<string, unknown>> }>('info');
    expect(info.queue['Q']).toMatchObject({ startseq: 50, endseq: 150 });
  });

  it('server /info: a jump of queueLimit or more empties the ring', async () => {
    const bus = await start({ queueLimit: 100 });
    await bus.seed([...msgs('Q', 12), { type: 'T', queue: 'Q', seq: 1000 }]);
    const info = await bus.getJson<{ queue: Record<string, Record<string, unknown>> }>('info');
    expect(info.queue['Q']).toMatchObject({ startseq: 1000, endseq: 1001 });
  });
});
