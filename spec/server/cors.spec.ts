import { useTestBuses } from '../helpers/raw-http';

describe('server CORS', () => {
  const start = useTestBuses();
  const origin = { origin: 'https://app.example' };

  it('server cors: off by default, like the original: no Access-Control header, a preflight gets a bare 405', async () => {
    const bus = await start();
    for (const res of [
      await bus.req('/features', { headers: origin }),
      await bus.openRaw('{b'),
      await bus.req('/nosuch', { headers: origin }),
    ]) {
      expect(Object.keys(res.headers).filter((h) => h.startsWith('access-control'))).toEqual([]);
    }
    const pre = await bus.req('/open', {
      method: 'OPTIONS',
      headers: { ...origin, 'access-control-request-method': 'POST' },
    });
    expect([pre.status, pre.body.length, pre.headers['access-control-allow-origin']]).toEqual([
      405,
      0,
      undefined,
    ]);
  });

  it('server cors: true allows any origin on every answer and answers preflights', async () => {
    const bus = await start({ cors: true });
    expect(
      (await bus.req('/features', { headers: origin })).headers['access-control-allow-origin'],
    ).toBe('*');
    expect((await bus.openRaw('{b')).headers['access-control-allow-origin']).toBe('*');
    const pre = await bus.req('/open', {
      method: 'OPTIONS',
      headers: {
        ...origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-methods']).toBe('GET, POST');
    expect(pre.headers['access-control-allow-headers']).toBe('content-type');
  });

  it('server cors: a string names the one allowed origin', async () => {
    const bus = await start({ cors: 'https://app.example' });
    const res = await bus.req('/info', { headers: origin });
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(res.headers['vary']).toBe('Origin');
  });
});
