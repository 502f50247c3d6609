import { connect } from 'node:net';
import { rawRequest, useTestBuses } from '../helpers/raw-http';

/**
 * A slow-loris client: sends a request line and then one header line every `dripMs`, never the
 * blank line that ends the head. Resolves with the ms until the server closed the socket and
 * what it answered (durations from the monotonic clock).
 */
function slowLoris(
  port: number,
  dripMs: number,
  giveUpMs: number,
): Promise<{ closedAfterMs: number; answer: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const started = performance.now();
    let answer = '';
    let n = 0;
    const drip = setInterval(() => socket.write(`X-Drip-${n++}: x\r\n`), dripMs);
    const finish = (): void => {
      clearInterval(drip);
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ closedAfterMs: performance.now() - started, answer });
    };
    const giveUp = setTimeout(finish, giveUpMs);
    socket.on('connect', () => socket.write('GET /test/features HTTP/1.1\r\nHost: x\r\n'));
    socket.on('data', (b: Buffer) => (answer += b.toString('latin1')));
    socket.on('close', finish);
    socket.on('error', finish);
  });
}

describe('server: slow and oversized request heads (issue 14.7, 14.8)', () => {
  const start = useTestBuses();

  it('server headers timeout: a client dripping header lines is cut off after headersTimeoutMs; others are served meanwhile', async () => {
    const bus = await start({ headersTimeoutMs: 600 });
    const loris = slowLoris(bus.server.port, 100, 10_000);
    expect((await bus.req('/features')).status).toBe(200);
    let { closedAfterMs, answer } = await loris;
    // Node checks the timeout on a period of a quarter of it: cut between 600 and ~1,000 ms. Once,
    // in a CI run of the whole suite, Node's checker cut a head at 225 ms; a second client must
    // then last its full time (isolated runs never cut early).
    if (closedAfterMs < 550)
      ({ closedAfterMs, answer } = await slowLoris(bus.server.port, 100, 10_000));
    expect(closedAfterMs).toBeGreaterThanOrEqual(550);
    expect(closedAfterMs).toBeLessThan(3_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('server headers timeout: a long poll with its head sent is not cut by it', async () => {
    const bus = await start({ headersTimeoutMs: 300 });
    const ack = await bus.open({ heartbeat: 2, queue: { ANNOUNCEMENT: {} } });
    const started = performance.now();
    const frames = await bus.recvJson(ack.sid);
    expect(frames).toEqual([{ type: 'HEARTBEAT' }]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_900);
  });

  it('server URLs over 16 KiB are served as by Go (heads up to 1 MiB), not refused with 431', async () => {
    const bus = await start();
    const res = await bus.req(`/features?pad=${'p'.repeat(64 * 1024)}`);
    expect(res.status).toBe(200);
    const longBus = await rawRequest(`${bus.server.url}/${'q'.repeat(20 * 1024)}/info`);
    expect(longBus.status).toBe(200);
  });
});
