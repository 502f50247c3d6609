import { msgs, useTestBuses } from '../helpers/raw-http';

describe('server continuity suffix', () => {
  const start = useTestBuses();

  it('server continuity: after the first message every /recv must name the last one written; anything else is 400 invalid session', async () => {
    const bus = await start();
    const sender = await bus.seed([...msgs('Q1', 8), ...msgs('Q2', 1)]);
    const ack = await bus.open({ queue: { Q1: { seq: 0 }, Q2: { seq: 1 } } });
    const first = await bus.recvJson(ack.sid);
    const last = first[first.length - 1]!;
    const suffix = `/Q1/${last['seq'] as number}`;
    for (const wrong of [
      '',
      `/Q1/${(last['seq'] as number) - 1}`,
      `/Q2/${last['seq'] as number}`,
      '/Q1/x',
      '/Q1/',
      `/NOPE/${last['seq'] as number}`,
    ]) {
      const res = await bus.recv(ack.sid, wrong);
      expect([wrong, res.status, res.text]).toEqual([
        wrong,
        wrong === '/Q1/' ? 404 : 400,
        wrong === '/Q1/' ? '404 page not found\n' : 'invalid session\n',
      ]);
    }
    // A mismatch does not destroy the session: the right suffix carries on.
    await bus.send(sender, msgs('Q2', 1));
    expect(
      (await bus.recvJson(ack.sid, suffix)).map(
        (f) => `${f['queue'] as string}/${f['seq'] as number}`,
      ),
    ).toEqual(['Q2/1']);
  });

  it('server continuity: a bare /recv is only valid before the first message; a suffix then is a mismatch', async () => {
    const bus = await start();
    await bus.seed(msgs('Q', 1));
    const ack = await bus.open({ queue: { Q: { seq: 0 } } });
    expect((await bus.recv(ack.sid, '/Q/0')).text).toBe('invalid session\n');
    expect((await bus.recv(ack.sid)).status).toBe(200);
  });

  it('server continuity: HEARTBEAT and EOF do not move the position', async () => {
    const bus = await start();
    await bus.seed(msgs('Q', 2));
    const ack = await bus.open({ heartbeat: 1, queue: { Q: { seq: 0 } } });
    await bus.recv(ack.sid);
    expect(await bus.recvJson(ack.sid, '/Q/1')).toEqual([{ type: 'HEARTBEAT' }]);
    expect((await bus.recv(ack.sid)).status).toBe(400);
    expect((await bus.recv(ack.sid, '/Q/1')).status).toBe(200);
  });

  it('server continuity: messages written but never read have moved the position (no roll-back)', async () => {
    const bus = await start();
    await bus.seed(msgs('Q', 5));
    const ack = await bus.open({ queue: { Q: { seq: 0 } } });
    await bus.recv(ack.sid);
    expect((await bus.recv(ack.sid)).status).toBe(400);
    expect((await bus.recv(ack.sid, '/Q/2')).status).toBe(400);
    const pending = bus.recv(ack.sid, '/Q/4', AbortSignal.timeout(200)).catch(() => 'waited');
    expect(await pending).toBe('waited');
  });

  it('server continuity: /stream checks the suffix the same way', async () => {
    const bus = await start();
    await bus.seed(msgs('Q', 3));
    const ack = await bus.open({ queue: { Q: { seq: 0, keep: false } } });
    await bus.recv(ack.sid);
    expect((await bus.req(`/stream/${ack.sid}`)).text).toBe('invalid session\n');
    expect((await bus.req(`/stream/${ack.sid}/Q/2`)).text).toBe('{"0":{"type":"EOF"}}');
  });
});
