import { getEventListeners } from 'node:events';
import type { ServerResponse } from 'node:http';
import { UndiciTransport } from '../../src/node';
import { readResponseBody, type HmbTransportRequest } from '../../src/transport/transport';
import { startScriptedServer, type ScriptedServer } from '../helpers/scripted-server';

// The undici transport gives undici a relay in place of each AbortSignal, so that requests made
// under one long-lived signal share a single listener on it (issue 18: adding and removing a
// listener on a Node AbortSignal per request cost a one-message /send about 5 µs). Aborting must
// still reach every request in flight under the signal, at any stage, and only those.

let server: ScriptedServer | undefined;
let transport: UndiciTransport | undefined;
const held: ServerResponse[] = [];
afterEach(async () => {
  await transport?.close();
  for (const res of held.splice(0)) res.destroy();
  await server?.close();
  transport = undefined;
  server = undefined;
});

function post(url: string, signal: AbortSignal): HmbTransportRequest {
  return { method: 'POST', url, headers: {}, body: '{}', signal };
}

function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => 'no failure',
    (e: unknown) => e,
  );
}

describe('abort relay (undici transport)', () => {
  it('many requests under one signal add one listener to it, and leave no other behind', async () => {
    server = await startScriptedServer({ send: (_req, res) => void res.writeHead(204).end() });
    transport = new UndiciTransport();
    const controller = new AbortController();
    for (let i = 0; i < 50; i++) {
      const response = await transport.request(post(`${server.url}/b/send/S`, controller.signal));
      expect(response.status).toBe(204);
      await readResponseBody(response);
    }
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    // Aborting after they all ended touches none of them (nor throws).
    controller.abort(new Error('late'));
    expect(server.requests).toHaveLength(50);
  });

  it('aborting reaches every request waiting for its answer under the signal, and no other', async () => {
    server = await startScriptedServer({
      hold: (_req, res) => void held.push(res),
      answer: (_req, res) => void setTimeout(() => res.writeHead(204).end(), 200),
    });
    transport = new UndiciTransport();
    const shared = new AbortController();
    const other = new AbortController();
    const first = failureOf(transport.request(post(`${server.url}/b/hold/1`, shared.signal)));
    const second = failureOf(transport.request(post(`${server.url}/b/hold/2`, shared.signal)));
    const third = transport.request(post(`${server.url}/b/answer/3`, other.signal));
    while (held.length < 2) await new Promise((r) => setTimeout(r, 10));
    const reason = new Error('given up');
    shared.abort(reason);
    expect(await first).toBe(reason);
    expect(await second).toBe(reason);
    expect((await third).status).toBe(204);
  });

  it('aborting while the body streams fails the reading with the reason', async () => {
    server = await startScriptedServer({
      stream: (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.write('first chunk');
        held.push(res);
      },
    });
    transport = new UndiciTransport();
    const controller = new AbortController();
    const response = await transport.request(post(`${server.url}/b/stream/S`, controller.signal));
    const chunks: string[] = [];
    const reading = failureOf(
      (async () => {
        for await (const chunk of response.body) {
          chunks.push(Buffer.from(chunk).toString());
          controller.abort(new Error('unsubscribed'));
        }
      })(),
    );
    expect(((await reading) as Error).message).toBe('unsubscribed');
    expect(chunks).toEqual(['first chunk']);
  });

  it('a signal aborted before the request fails it at once with its reason, sending nothing', async () => {
    server = await startScriptedServer({ send: (_req, res) => void res.writeHead(204).end() });
    transport = new UndiciTransport();
    const controller = new AbortController();
    const reason = new Error('already');
    controller.abort(reason);
    expect(
      await failureOf(transport.request(post(`${server.url}/b/send/S`, controller.signal))),
    ).toBe(reason);
    expect(server.requests).toHaveLength(0);
  });
});
