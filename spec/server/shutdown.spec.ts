import { connect } from 'node:net';
import { msgs, rawSocket, sleep, TestBus } from '../helpers/raw-http';

describe('server shutdown', () => {
  const open: TestBus[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((b) => b.close()));
  });
  async function boot(options = {}): Promise<TestBus> {
    const bus = await TestBus.start(options);
    open.push(bus);
    return bus;
  }

  it('server shutdown: a blocked /recv gets 200 with the session Content-Type, Content-Length 0 and Connection: close', async () => {
    const bus = await boot();
    const json = await bus.open({ queue: { ANNOUNCEMENT: {} } });
    const bson = await bus.openBson({ queue: { ANNOUNCEMENT: {} } });
    const a = rawSocket(
      bus.server.port,
      `GET /test/recv/${json.sid} HTTP/1.1\r\nHost: x\r\n\r\n`,
      3000,
    );
    const b = rawSocket(
      bus.server.port,
      `GET /test/recv/${bson.sid} HTTP/1.1\r\nHost: x\r\n\r\n`,
      3000,
    );
    await sleep(200);
    await bus.close();
    for (const [seen, type] of [
      [await a, 'application/json'],
      [await b, 'application/bson'],
    ] as const) {
      const text = seen.data.toString('latin1');
      expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(text).toContain(`\r\nContent-Type: ${type}\r\n`);
      expect(text).toContain('\r\nContent-Length: 0\r\n');
      expect(text).toContain('\r\nConnection: close\r\n');
      expect(text.endsWith('\r\n\r\n')).toBe(true);
      expect(seen.closed).toBe(true);
    }
  });

  it('server shutdown: an open JSON stream ends without the closing brace', async () => {
    const bus = await boot();
    await bus.seed(msgs('Q', 2));
    const ack = await bus.open({ queue: { Q: { seq: 0 } } });
    const pending = bus.req(`/stream/${ack.sid}`);
    await sleep(200);
    await bus.close();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.text.startsWith('{"0":{"type":"T"')).toBe(true);
    expect(() => JSON.parse(res.text) as unknown).toThrow();
    expect(Object.keys(JSON.parse(`${res.text}}`) as object)).toEqual(['0', '1']);
  });

  it('server shutdown: idle keep-alive connections do not hold close() up', async () => {
    const bus = await boot();
    await bus.req('/features');
    await bus.req('/info');
    const t0 = Date.now();
    await bus.close();
    expect(Date.now() - t0).toBeLessThan(500);
  });

  it('server shutdown: a connection still busy after shutdownGraceMs is destroyed', async () => {
    const bus = await boot({ shutdownGraceMs: 300 });
    const socket = connect(bus.server.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    socket.write(
      'POST /test/open HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"cid"',
    );
    const closed = new Promise((r) => socket.once('close', r));
    socket.on('error', () => undefined);
    await sleep(100);
    const t0 = Date.now();
    await bus.close();
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(1500);
    await closed;
  });

  it('server shutdown: afterwards the port refuses connections, and close() is idempotent', async () => {
    const bus = await boot();
    await Promise.all([bus.close(), bus.server.close()]);
    await bus.server.close();
    await expect(
      new Promise((resolve, reject) => {
        const s = connect(bus.server.port, '127.0.0.1');
        s.once('connect', () => {
          s.destroy();
          resolve('connected');
        });
        s.once('error', reject);
      }),
    ).rejects.toThrow(/ECONNREFUSED/);
  });
});
