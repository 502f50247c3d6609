import { useTestBuses } from '../helpers/raw-http';

describe('server /features', () => {
  const start = useTestBuses();

  it('server /features: lists the original capabilities, no functions, a software string naming hmb-rx and httpmsgbus v0.16', async () => {
    const bus = await start();
    const res = await bus.req('/features');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(Number(res.headers['content-length'])).toBe(res.body.length);
    // Go marshals without a trailing newline; key order as the original.
    expect(res.text).toMatch(
      /^\{"capabilities":\["JSON","BSON","INFO","STREAM","WINDOW","FILTER","OOD"\],"functions":\[\],"software":"[^"]+"\}$/,
    );
    const body = JSON.parse(res.text) as { software: string };
    expect(body.software).toContain('hmb-rx');
    expect(body.software).toContain('httpmsgbus v0.16');
  });

  it('server /features: adds REGEX (before OOD) when regex is on', async () => {
    const bus = await start({ regex: true });
    const body = await bus.getJson<{ capabilities: string[] }>('features');
    expect(body.capabilities).toEqual([
      'JSON',
      'BSON',
      'INFO',
      'STREAM',
      'WINDOW',
      'FILTER',
      'REGEX',
      'OOD',
    ]);
  });

  it('server /features: POST gets an empty 405', async () => {
    const bus = await start();
    const res = await bus.req('/features', { method: 'POST', body: '{}' });
    expect(res.status).toBe(405);
    expect(res.body.length).toBe(0);
    expect(res.headers['content-type']).toBeUndefined();
    expect(res.headers['allow']).toBeUndefined();
  });
});
