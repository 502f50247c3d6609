import { serialize } from 'bson';
import fc from 'fast-check';
import { gzipSync } from 'node:zlib';
import { Agent } from 'undici';
import type { HmbServerLogEvent } from '../../src/server';
import { rawRequest, rawSocket, useTestBuses } from '../helpers/raw-http';

describe('server errors and robustness', () => {
  const start = useTestBuses();

  it.each([
    '/test/nosuch',
    '/test/features/',
    '/test/',
    '/test',
    '/',
    '/test/info/x',
    '/test/open/x',
    '/test/send/',
    '/test/send/a/b',
  ])('server errors: %s is a Go 404', async (path) => {
    const bus = await start();
    const method = path.includes('open') || path.includes('send') ? 'POST' : 'GET';
    const res = await rawRequest(`${bus.server.url}${path}`, { dispatcher: bus.agent, method });
    expect([res.status, res.text]).toEqual([404, '404 page not found\n']);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it.each(['OPTIONS', 'HEAD', 'PUT', 'DELETE', 'PATCH'] as const)(
    'server errors: %s gets an empty 405 with no Content-Type or Allow',
    async (method) => {
      const bus = await start();
      const res = await bus.req('/features', { method });
      expect([res.status, res.body.length]).toEqual([405, 0]);
      expect(res.headers['content-type']).toBeUndefined();
      expect(res.headers['allow']).toBeUndefined();
    },
  );

  it.each(['//test//features', '/test/./features', '/x/../test/features'])(
    'server errors: the unclean path %s is redirected (301) to /test/features',
    async (path) => {
      const bus = await start();
      const seen = await rawSocket(
        bus.server.port,
        `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
        1000,
      );
      const text = seen.data.toString('latin1');
      expect(text).toMatch(/^HTTP\/1\.1 301 Moved Permanently\r\n/);
      expect(text).toContain('\r\nLocation: /test/features\r\n');
      expect(text.endsWith('<a href="/test/features">Moved Permanently</a>.\n\n')).toBe(true);
    },
  );

  it('server errors: Go-style headers: no Connection: keep-alive, and a connection serves many requests', async () => {
    const bus = await start();
    const seen = await rawSocket(
      bus.server.port,
      'GET /test/features HTTP/1.1\r\nHost: x\r\n\r\nGET /test/nosuch HTTP/1.1\r\nHost: x\r\n\r\nGET /test/info HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      1000,
    );
    const text = seen.data.toString('latin1');
    expect(text.match(/HTTP\/1\.1 \d+/g)).toEqual(['HTTP/1.1 200', 'HTTP/1.1 404', 'HTTP/1.1 200']);
    expect(text).not.toContain('keep-alive');
  });

  it('server errors: HTTP/1.0 requests are answered', async () => {
    const bus = await start();
    const seen = await rawSocket(bus.server.port, 'GET /test/features HTTP/1.0\r\n\r\n', 1000);
    expect(seen.data.toString('latin1')).toMatch(/^HTTP\/1\.[01] 200 OK\r\n[\s\S]*"capabilities"/);
    expect(seen.closed).toBe(true);
  });

  it('server errors: several buses share a port; each has its own queues and sessions', async () => {
    const a = await start();
    const b = a.other('other');
    const sid = await a.seed([{ type: 'T', queue: 'OnlyA' }]);
    expect(Object.keys((await b.getJson<{ queue: object }>('info')).queue)).toEqual([
      'ANNOUNCEMENT',
    ]);
    expect((await b.sendJson(sid, [{ type: 'T', queue: 'Q' }])).text).toBe('invalid session\n');
  });

  it('server errors: a body over the limit is 400 http: request body too large with Connection: close', async () => {
    const bus = await start({ maxBodyKb: 1 });
    const big = JSON.stringify({ cid: 'x'.repeat(2000) });
    const open = await bus.openRaw(big);
    expect([open.status, open.text, open.headers['connection']]).toEqual([
      400,
      'http: request body too large\n',
      'close',
    ]);
    const sid = (await bus.open({})).sid;
    const send = await bus.sendJson(sid, [{ type: 'T', queue: 'Q', data: 'x'.repeat(2000) }]);
    expect([send.status, send.text, send.headers['connection']]).toEqual([
      400,
      'invalid JSON data: http: request body too large\n',
      'close',
    ]);
    expect(Object.keys((await bus.getJson<{ queue: object }>('info')).queue)).toEqual([
      'ANNOUNCEMENT',
    ]);
  });

  it('server errors: with a BSON body over the limit, the documents before it are stored', async () => {
    const bus = await start({ maxBodyKb: 1 });
    const sid = (await bus.open({})).sid;
    const docs = Array.from({ length: 12 }, (_, i) =>
      Buffer.from(serialize({ type: 'T', queue: 'Q', data: { i, pad: 'x'.repeat(120) } })),
    );
    const res = await bus.sendBson(sid, Buffer.concat(docs));
    expect([res.status, res.text]).toEqual([400, 'http: request body too large\n']);
    const info = await bus.getJson<{ queue: Record<string, { endseq: number }> }>('info');
    expect(info.queue['Q']!.endseq).toBe(Math.floor(1024 / docs[0]!.length));
  });

  it('server errors: compression is not offered: a gzip body is not decoded, Accept-Encoding is ignored', async () => {
    const bus = await start();
    const sid = (await bus.open({})).sid;
    const res = await bus.req(`/send/${sid}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync('{"0":{"type":"T","queue":"Q"}}'),
    });
    expect(res.text).toBe(
      "invalid JSON data: invalid character '\\x1f' looking for beginning of value\n",
    );
    const features = await bus.req('/features', { headers: { 'accept-encoding': 'gzip' } });
    expect(features.headers['content-encoding']).toBeUndefined();
  });

  it('server errors: nesting deeper than 1,000 levels is refused; data near the limit is delivered', async () => {
    const bus = await start();
    const sid = (await bus.open({})).sid;
    const deep = `{"0":{"type":"T","queue":"Q","data":${'['.repeat(1001)}${']'.repeat(1001)}}}`;
    expect((await bus.sendJson(sid, deep)).text).toBe(
      "invalid JSON data: invalid character '[' exceeded max depth\n",
    );
    const ok = `{"0":{"type":"T","queue":"Q","data":${'['.repeat(990)}1${']'.repeat(990)}}}`;
    expect((await bus.sendJson(sid, ok)).status).toBe(204);
    let nested: object = { v: 1 };
    for (let i = 0; i < 1100; i++) nested = { n: nested };
    const bson = await bus.sendBson(
      sid,
      Buffer.from(serialize({ type: 'T', queue: 'Q', data: nested })),
    );
    expect(bson.text).toBe('invalid BSON data: exceeded max depth\n');
    const ack = await bus.openBson({ queue: { Q: { seq: 0, keep: false } } });
    expect((await bus.recv(ack.sid)).status).toBe(200);
    const jsonAck = await bus.open({ queue: { Q: { seq: 0, keep: false } } });
    expect((await bus.recv(jsonAck.sid)).text).toContain(`"data":${'['.repeat(990)}1`);
  });

  it('server errors: a malformed URL escape is 400 Bad Request', async () => {
    const bus = await start();
    const seen = await rawSocket(
      bus.server.port,
      'GET /test/%zz HTTP/1.1\r\nHost: x\r\n\r\n',
      1000,
    );
    expect(seen.data.toString('latin1')).toMatch(/^HTTP\/1\.1 400/);
  });

  it('server errors: maxBuses and maxQueuesPerBus bound what a client can make the server allocate', async () => {
    const bus = await start({ maxBuses: 2, maxQueuesPerBus: 3 });
    // Buses that hold something (here a session each) are never freed to make room.
    const sid = (await bus.open({})).sid;
    await bus.other('b2').open({});
    const third = await bus.other('b3').req('/features');
    expect([third.status, third.text]).toEqual([503, 'maximum number of buses exceeded\n']);
    expect((await bus.other('b3').req('/nosuch')).status).toBe(404);
    const res = await bus.sendJson(sid, [
      { type: 'T', queue: 'Q1' },
      { type: 'T', queue: 'Q2' },
      { type: 'T', queue: 'Q3' },
    ]);
    expect([res.status, res.text]).toEqual([503, 'maximum number of queues exceeded\n']);
    expect(Object.keys((await bus.getJson<{ queue: object }>('info')).queue)).toEqual([
      'ANNOUNCEMENT',
      'Q1',
      'Q2',
    ]);
  });

  it('server errors: 1,000 GETs to new bus names do not lock out new buses: the least recently used empty bus is freed, buses holding something stay', async () => {
    const events: string[] = [];
    const bus = await start({ logger: (e) => events.push(e.type) });
    await bus.other('keeper').seed([{ type: 'T', queue: 'Q' }]);
    const agent = new Agent({ connections: 4 });
    try {
      for (let i = 0; i < 1_000; i += 50) {
        const batch = Array.from({ length: 50 }, (_, k) =>
          rawRequest(`${bus.server.url}/junk${i + k}/info`, { dispatcher: agent }),
        );
        for (const res of await Promise.all(batch)) expect(res.status).toBe(200);
      }
    } finally {
      await agent.close();
    }
    const fresh = bus.other('fresh');
    await fresh.seed([{ type: 'T', queue: 'N' }]);
    expect(Object.keys((await fresh.getJson<{ queue: object }>('info')).queue)).toEqual([
      'ANNOUNCEMENT',
      'N',
    ]);
    expect(events.filter((t) => t === 'bus-freed').length).toBeGreaterThan(0);
    const kept = await bus.other('keeper').getJson<{ queue: object }>('info');
    expect(Object.keys(kept.queue)).toEqual(['ANNOUNCEMENT', 'Q']);
  });

  it('server errors: a bus whose /open body is still arriving is not freed to make room, so the session it opens stays reachable', async () => {
    const events: HmbServerLogEvent[] = [];
    let created: () => void = () => undefined;
    const slowBusCreated = new Promise<void>((resolve) => (created = resolve));
    const bus = await start({
      maxBuses: 2,
      logger: (e) => {
        events.push(e);
        if (e.type === 'bus-created' && e.bus === 'slow') created();
      },
    });
    let release: () => void = () => undefined;
    const rest = new Promise<void>((resolve) => (release = resolve));
    async function* slowBody(): AsyncIterable<Buffer> {
      yield Buffer.from('{"cid":');
      await rest;
      yield Buffer.from('"late"}');
    }
    const slow = bus.other('slow');
    const opening = slow.req('/open', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: slowBody(),
    });
    await slowBusCreated;
    // Two more buses while the /open waits for its body: the second needs room.
    expect((await bus.other('x').req('/features')).status).toBe(200);
    expect((await bus.other('y').req('/features')).status).toBe(200);
    release();
    const opened = await opening;
    expect(opened.status).toBe(200);
    const sid = (JSON.parse(opened.text) as { sid: string }).sid;
    expect(events.filter((e) => e.type === 'bus-freed')).toEqual([{ type: 'bus-freed', bus: 'x' }]);
    const status = await slow.getJson<{ session: Record<string, unknown> }>('status');
    expect(Object.keys(status.session)).toEqual([sid]);
  });

  it('server errors: whatever bytes a client sends to any method, the server answers and keeps serving', async () => {
    const bus = await start({ maxSessionsPerIp: 10_000 });
    const sid = (await bus.open({})).sid;
    const paths = ['/open', `/send/${sid}`];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.constantFrom('application/json', 'application/bson'),
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
          fc.json().map((j) => Buffer.from(j)),
          fc
            .jsonValue()
            .map((v) =>
              Buffer.from(serialize({ type: 'T', queue: 'Q', data: v, seq: v as never })),
            ),
          fc
            .jsonValue()
            .map((v) =>
              Buffer.from(JSON.stringify({ 0: { type: 'T', queue: 'Q', seq: v, data: v } })),
            ),
          fc
            .jsonValue()
            .map((v) =>
              Buffer.from(
                JSON.stringify({ queue: { ANNOUNCEMENT: { filter: v, topics: v, seq: v } } }),
              ),
            ),
        ),
        async (path, type, body) => {
          const res = await bus.req(path, {
            method: 'POST',
            headers: { 'content-type': type },
            body,
          });
          expect([200, 204, 400]).toContain(res.status);
        },
      ),
      { numRuns: 300 },
    );
    expect((await bus.req('/features')).status).toBe(200);
    expect((await bus.req('/info')).status).toBe(200);
  });
});
