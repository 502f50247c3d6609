import { parseBusEndpoint } from '../../src/session/bus-endpoint';

describe('session: bus URLs', () => {
  it('bus URL: keeps a path prefix, drops a trailing slash, encodes method arguments', () => {
    const e = parseBusEndpoint('http://127.0.0.1:8000/proxy/hmb/test/');
    expect(e.busUrl).toBe('http://127.0.0.1:8000/proxy/hmb/test');
    expect(e.methodUrl('open')).toBe('http://127.0.0.1:8000/proxy/hmb/test/open');
    expect(e.methodUrl('recv', 'AAZ-_x', 'a b', '7')).toBe(
      'http://127.0.0.1:8000/proxy/hmb/test/recv/AAZ-_x/a%20b/7',
    );
    expect(e.authorization).toBeUndefined();
  });

  it('bus URL: credentials become a Basic Authorization header (UTF-8) and leave the URL', () => {
    const e = parseBusEndpoint('https://al%C3%AFce:p%40ss@example.org/hmb/alerts');
    expect(e.busUrl).toBe('https://example.org/hmb/alerts');
    expect(e.authorization).toBe(`Basic ${Buffer.from('alïce:p@ss').toString('base64')}`);
  });

  it('bus URL: a URL without a bus, or not http(s), is a typed error', () => {
    for (const bad of [
      'http://127.0.0.1:8000',
      'http://127.0.0.1:8000/',
      'ftp://host/bus',
      'not a url',
    ]) {
      expect(() => parseBusEndpoint(bad)).toThrow(
        expect.objectContaining({ code: 'HMB_ERR_BAD_PARAM' }),
      );
    }
  });

  it('bus URL: in a browser, a path is relative to the page', () => {
    const g = globalThis as { location?: { href: string } };
    g.location = { href: 'https://dash.example.org/app/index.html' };
    try {
      expect(parseBusEndpoint('/hmb/alerts').busUrl).toBe('https://dash.example.org/hmb/alerts');
    } finally {
      delete g.location;
    }
  });
});
