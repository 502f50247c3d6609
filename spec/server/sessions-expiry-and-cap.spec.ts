import type { HmbServerLogEvent } from '../../src/server';
import { msgs, sleep, useTestBuses } from '../helpers/raw-http';

describe('server sessions: expiry and per-IP cap', () => {
  const start = useTestBuses();

  it('server sessions: an idle session is swept on the bus timer after the timeout (listed in /status until then)', async () => {
    const events: HmbServerLogEvent[] = [];
    const bus = await start({
      sessionTimeoutSec: 0.4,
      sweepIntervalSec: 0.2,
      logger: (e) => events.push(e),
    });
    const ack = await bus.open({ queue: { ANNOUNCEMENT: {} } });
    await sleep(150);
    const status = await bus.getJson<{ session: Record<string, unknown> }>('status');
    expect(Object.keys(status.session)).toEqual([ack.sid]);
    await sleep(800);
    expect((await bus.recv(ack.sid)).text).toBe('invalid session\n');
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'session-expired', sid: ack.sid, bus: 'test' }),
    );
  });

  it('server sessions: a blocked /recv keeps its session alive however long it waits', async () => {
    const bus = await start({ sessionTimeoutSec: 0.2, sweepIntervalSec: 0.1 });
    await bus.seed(msgs('Q', 1));
    const ack = await bus.open({ queue: { Q: {} } });
    const pending = bus.recvJson(ack.sid);
    await sleep(700);
    // The first sender has expired meanwhile (it was idle); a fresh one sends.
    await bus.seed(msgs('Q', 1), 'snd2');
    expect((await pending).map((f) => f['seq'])).toEqual([1]);
  });

  it('server sessions: a HEARTBEAT /send refreshes the session', async () => {
    const bus = await start({ sessionTimeoutSec: 0.3, sweepIntervalSec: 0.1 });
    const ack = await bus.open({ queue: { ANNOUNCEMENT: {} } });
    for (let i = 0; i < 6; i++) {
      await sleep(150);
      expect((await bus.sendJson(ack.sid, [{ type: 'HEARTBEAT' }])).status).toBe(204);
    }
  });

  it("server sessions: at the cap, /open evicts that IP's longest-idle session", async () => {
    const events: HmbServerLogEvent[] = [];
    const bus = await start({ maxSessionsPerIp: 2, logger: (e) => events.push(e) });
    const a = await bus.open({});
    await sleep(20);
    const b = await bus.open({});
    await sleep(20);
    await bus.sendJson(a.sid, [{ type: 'HEARTBEAT' }]);
    const c = await bus.open({});
    expect((await bus.sendJson(b.sid, [{ type: 'HEARTBEAT' }])).text).toBe('invalid session\n');
    expect((await bus.sendJson(a.sid, [{ type: 'HEARTBEAT' }])).status).toBe(204);
    expect((await bus.sendJson(c.sid, [{ type: 'HEARTBEAT' }])).status).toBe(204);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'session-evicted', sid: b.sid, ip: '127.0.0.1' }),
    );
  });

  it('server sessions: when every session of the IP is active, /open gets 503 (JSON and BSON)', async () => {
    const bus = await start({ maxSessionsPerIp: 3 });
    const aborts = await Promise.all(
      [0, 1, 2].map(async () => {
        const ack = await bus.open({ queue: { ANNOUNCEMENT: {} } });
        const abort = new AbortController();
        void bus.recv(ack.sid, '', abort.signal).catch(() => undefined);
        return abort;
      }),
    );
    await sleep(100);
    const json = await bus.openRaw({});
    expect([json.status, json.text]).toEqual([503, 'maximum number of sessions per IP exceeded\n']);
    expect(json.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect((await bus.openBsonRaw({})).text).toBe('maximum number of sessions per IP exceeded\n');
    aborts.forEach((a) => a.abort());
  });

  it('server sessions: caps are per bus', async () => {
    const bus = await start({ maxSessionsPerIp: 1 });
    const other = bus.other('second');
    const a = await bus.open({ queue: { ANNOUNCEMENT: {} } });
    const abort = new AbortController();
    void bus.recv(a.sid, '', abort.signal).catch(() => undefined);
    await sleep(50);
    expect((await other.openRaw({})).status).toBe(200);
    expect((await bus.openRaw({})).status).toBe(503);
    abort.abort();
  });

  it('server sessions: X-Forwarded-For decides the IP only with trustForwardedFor', async () => {
    const plain = await start({ maxSessionsPerIp: 1 });
    const a = await plain.open({ queue: { ANNOUNCEMENT: {} } });
    const abortA = new AbortController();
    void plain.recv(a.sid, '', abortA.signal).catch(() => undefined);
    await sleep(50);
    const xff = { 'content-type': 'application/json', 'x-forwarded-for': '10.1.2.3' };
    expect((await plain.req('/open', { method: 'POST', headers: xff, body: '{}' })).status).toBe(
      503,
    );
    abortA.abort();

    const trusting = await start({ maxSessionsPerIp: 1, trustForwardedFor: true });
    const b = await trusting.open({ queue: { ANNOUNCEMENT: {} } });
    const abortB = new AbortController();
    void trusting.recv(b.sid, '', abortB.signal).catch(() => undefined);
    await sleep(50);
    const res = await trusting.req('/open', {
      method: 'POST',
      headers: { ...xff, 'x-forwarded-for': '10.1.2.3, 10.0.0.1' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    const sid = (JSON.parse(res.text) as { sid: string }).sid;
    const status = await trusting.getJson<{ session: Record<string, { address: string }> }>(
      'status',
    );
    expect(status.session[sid]!.address).toMatch(/^10\.1\.2\.3:\d+$/);
    abortB.abort();
  });
});
