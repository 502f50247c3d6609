import { msgs, sleep, useTestBuses } from '../helpers/raw-http';

describe('server heartbeats', () => {
  const start = useTestBuses();

  it('server heartbeats: an idle /recv answers a HEARTBEAT (type only) after the heartbeat period', async () => {
    const bus = await start();
    await bus.seed(msgs('Q', 1));
    const ack = await bus.open({ heartbeat: 1, queue: { Q: {} } });
    const t0 = Date.now();
    const res = await bus.recv(ack.sid);
    const elapsed = Date.now() - t0;
    expect(res.text).toBe('{"0":{"type":"HEARTBEAT"}}');
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(elapsed).toBeLessThan(1600);
  });

  it('server heartbeats: the BSON heartbeat document is exactly the original bytes', async () => {
    const bus = await start();
    const ack = await bus.openBson({ heartbeat: 1, queue: { ANNOUNCEMENT: {} } });
    const res = await bus.recv(ack.sid);
    expect(res.body).toEqual(
      Buffer.concat([
        Buffer.from([0x19, 0, 0, 0, 0x02]),
        Buffer.from('type\0'),
        Buffer.from([0x0a, 0, 0, 0]),
        Buffer.from('HEARTBEAT\0'),
        Buffer.from([0]),
      ]),
    );
  });

  it('server heartbeats: the timer runs per request', async () => {
    const bus = await start();
    const sender = await bus.seed(msgs('Q', 1));
    const ack = await bus.open({ heartbeat: 1, queue: { Q: {} } });
    const first = bus.recvJson(ack.sid);
    await sleep(600);
    await bus.send(sender, msgs('Q', 1));
    await first;
    const t0 = Date.now();
    expect(await bus.recvJson(ack.sid, '/Q/1')).toEqual([{ type: 'HEARTBEAT' }]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
  });

  it.each([0, -1])('server heartbeats: heartbeat %p means none', async (heartbeat) => {
    const bus = await start();
    const ack = await bus.open({ heartbeat, queue: { ANNOUNCEMENT: {} } });
    const res = await bus.recv(ack.sid, '', AbortSignal.timeout(1300)).catch(() => 'still waiting');
    expect(res).toBe('still waiting');
  });
});
