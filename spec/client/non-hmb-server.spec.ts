import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { serialize } from 'bson';
import { firstValueFrom, lastValueFrom } from 'rxjs';
import { HmbClient } from '../../src/node';
import { isHmbError } from '../../src/errors/hmb-error';
import { MAX_BODY_EXCERPT_CHARS, bodyExcerpt } from '../../src/errors/body-excerpt';
import { describeGiven } from '../../src/errors/describe-given';

// What a web server that is no HMB bus answers to POST /bus/open: a whole HTML page, here with a
// style sheet, a script and enough text to be far longer than an error message should be.
const PAGE = `<!DOCTYPE html>
<html><head><title>501 Not Implemented</title>
<style>body { font-family: sans-serif; } h1 { color: #900; }</style>
<script>window.dataLayer = [{ page: 'error' }];</script></head>
<body>
  <h1>Not Implemented</h1>
  <p>POST to /bus/open not supported &amp; never will be.</p>
  ${'<p>Lorem ipsum dolor sit amet, consectetur adipiscing elit.</p>\n'.repeat(60)}
  <hr><address>Apache/2.4.58 (Unix) Server at 127.0.0.1</address>
</body></html>`;

describe('errors: an answer from a server that is not an HMB bus', () => {
  let server: Server;
  let url: string;
  let requests = 0;
  const sockets = new Set<Socket>();
  beforeEach(async () => {
    requests = 0;
    server = createServer((req, res) => {
      requests++;
      req.resume();
      req.on('end', () => res.writeHead(501, { 'content-type': 'text/html' }).end(PAGE));
    });
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bus`;
  });
  afterEach(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('errors: a 501 HTML page becomes a short text excerpt in the message and in body, and is not retried', async () => {
    const client = new HmbClient(url, { retry: { initialDelayMs: 1 } });
    try {
      const error = await lastValueFrom(client.subscribe({ queue: { Q: {} } })).catch(
        (e: unknown) => e,
      );
      expect(isHmbError(error, 'HMB_ERR_HTTP')).toBe(true);
      const { message, body, status } = error as { message: string; body: string; status: number };
      expect(status).toBe(501);
      expect(message).toContain('HTTP 501 from POST');
      expect(message).toContain(
        '501 Not Implemented Not Implemented POST to /bus/open not supported & never will be.',
      );
      for (const text of [message, body]) {
        expect(text).not.toMatch(/[<>]/);
        expect(text).not.toContain('dataLayer');
        expect(text).not.toContain('font-family');
      }
      expect(body.length).toBeLessThanOrEqual(MAX_BODY_EXCERPT_CHARS + 1);
      expect(message.length).toBeLessThan(PAGE.length / 5);
      // 501: the server does not implement the method, and will not on the next attempt.
      expect(requests).toBe(1);
      const info = await firstValueFrom(client.info()).catch((e: unknown) => e);
      expect((info as Error).message).not.toMatch(/[<>]/);
    } finally {
      await client.close();
    }
  });

  it('errors: the excerpt keeps a plain-text body as it is, collapses whitespace and cuts long text', () => {
    expect(bodyExcerpt('invalid session\n')).toBe('invalid session');
    expect(bodyExcerpt('a <b> c')).toBe('a <b> c');
    expect(
      bodyExcerpt('<html><body>x &lt;y&gt; &#65;&#x42; &bogus; &#99999999;</body></html>'),
    ).toBe('x <y> AB &bogus; &#99999999;');
    const long = bodyExcerpt('word '.repeat(500));
    expect(long).toHaveLength(MAX_BODY_EXCERPT_CHARS + 1);
    expect(long.endsWith('…')).toBe(true);
  });

  it('errors: a value the user gave is quoted as given, so "0" and 0 read differently', () => {
    expect(describeGiven('0')).toBe('"0"');
    expect(describeGiven(0)).toBe('0');
    expect(describeGiven(undefined)).toBe('undefined');
    expect(describeGiven(null)).toBe('null');
    expect(describeGiven(['Q'])).toBe('["Q"]');
    expect(describeGiven(() => 1)).toBe('a function');
    expect(describeGiven(Symbol('s'))).toBe('a symbol');
    expect(describeGiven(10n)).toBe('10n');
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(describeGiven(cyclic)).toBe('an object');
    expect(describeGiven('x'.repeat(200))).toHaveLength(81);
  });
});

/**
 * A server that answers 200 with an HTML page: a captive portal, a proxy's login page, a web server
 * with a catch-all route. /open can even succeed (a real bus behind a proxy) and only /recv or
 * /stream get the page. Decoded as BSON, each used to be "corrupt BSON document at byte 0".
 */
describe('errors: a 200 answer that is not JSON or BSON', () => {
  let server: Server;
  let base: string;
  const sockets = new Set<Socket>();
  const LOGIN = '<html><body><h1>Please log in</h1><form>…</form></body></html>';
  beforeEach(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const path = req.url ?? '';
        // /html-open/…: every answer is the page. /html-recv/…: /open is a real reply (JSON or
        // BSON as asked), then /recv and /stream get the page.
        if (path.startsWith('/html-recv/') && path.endsWith('/open')) {
          const bson = req.headers['content-type'] !== 'application/json';
          const ack = { sid: 'S1', cid: 'C1', queue: { Q: { seq: 0, error: null } } };
          res
            .writeHead(200, { 'content-type': bson ? 'application/bson' : 'application/json' })
            .end(bson ? Buffer.from(serialize(ack)) : JSON.stringify(ack));
          return;
        }
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(LOGIN);
      });
    });
    server.on('connection', (s: Socket) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const cases = [
    ['html-open', 'json', 'poll', '/open'],
    ['html-open', 'bson', 'poll', '/open'],
    ['html-recv', 'json', 'poll', '/recv'],
    ['html-recv', 'bson', 'poll', '/recv'],
    ['html-recv', 'json', 'stream', '/stream'],
    ['html-recv', 'bson', 'stream', '/stream'],
  ] as const;
  it.each(cases)(
    'errors: %s, %s %s: an HTML 200 is an HMB_ERR_PROTOCOL naming the Content-Type and %s, not a decode error',
    async (prefix, format, transport, method) => {
      const client = new HmbClient(`${base}/${prefix}/bus`, { format });
      const states: unknown[] = [];
      try {
        const error = await firstValueFrom(
          client.subscribe(
            { queue: { Q: { seq: 0 } } },
            { transport, retry: false, onState: (s) => states.push(s) },
          ),
        ).catch((e: unknown) => e);
        expect(isHmbError(error, 'HMB_ERR_PROTOCOL')).toBe(true);
        const { message, body, url } = error as { message: string; body?: string; url: string };
        expect(message).toContain('Content-Type "text/html; charset=utf-8"');
        expect(message).not.toMatch(/BSON document|corrupt/i);
        expect(url).toContain(method);
        if (method !== '/stream') expect(body).toBe('Please log in …');
      } finally {
        await client.close();
      }
    },
  );
});
