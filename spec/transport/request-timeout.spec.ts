import type { ServerResponse } from 'node:http';
import { Agent } from 'undici';
import { HmbClient, UndiciTransport } from '../../src/node';
import { isHmbError } from '../../src/errors/hmb-error';
import type { HmbTimeoutError } from '../../src/errors/timeout-error';
import { readResponseBody } from '../../src/transport/transport';
import { sleep } from '../helpers/collect';
import { numbered, publish } from '../helpers/publish';
import { startScriptedServer, type ScriptedServer } from '../helpers/scripted-server';
import { startTestBus, type TestBus } from '../helpers/test-bus';
import { TRANSPORTS } from '../helpers/transports';

// `requestTimeoutMs` bounds every request that is not a long poll. From 10 s on, the undici
// transport enforces it with undici's own header and body timers (no AbortSignal per request:
// issue 18); shorter deadlines, and every deadline of the fetch transport, come as a signal that
// fires at the deadline. Either way a request fails the same way: HmbTimeoutError naming the
// request, its bus and its session.

let server: ScriptedServer | undefined;
let bus: TestBus | undefined;
let client: HmbClient | undefined;
const held: ServerResponse[] = [];
afterEach(async () => {
  await client?.close();
  for (const res of held.splice(0)) res.destroy();
  await server?.close();
  await bus?.close();
  client = undefined;
  server = undefined;
  bus = undefined;
});

const openAnswer = (_req: unknown, res: ServerResponse): void =>
  void res
    .writeHead(200, { 'content-type': 'application/json' })
    .end(JSON.stringify({ sid: 'S1', cid: 'c', queue: {} }));

describe.each(TRANSPORTS)('request timeout (%s transport)', (name, makeTransport) => {
  it(`${name}: a /send with no answer fails after requestTimeoutMs with HmbTimeoutError naming the request, bus and session`, async () => {
    server = await startScriptedServer({
      open: openAnswer,
      // Never answered.
      send: (_req, res) => void held.push(res),
    });
    client = new HmbClient(`${server.url}/b`, {
      httpTransport: makeTransport(),
      requestTimeoutMs: 300,
    });
    const started = Date.now();
    const error = await client
      .send({ type: 'T', queue: 'Q', data: { i: 1 } }, { retry: { maxAttempts: 1 } })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    const elapsed = Date.now() - started;
    expect(isHmbError(error, 'HMB_ERR_SEND')).toBe(true);
    const cause = (error as { cause?: unknown }).cause as HmbTimeoutError;
    expect(isHmbError(cause, 'HMB_ERR_TIMEOUT')).toBe(true);
    expect(cause.message).toBe(`no answer within 300 ms: POST ${server.url}/b/send/S1`);
    expect(cause).toMatchObject({ bus: `${server.url}/b`, sid: 'S1', method: 'POST' });
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(5_000);
  });

  it(`${name}: an answer whose body stops half way fails the same way`, async () => {
    server = await startScriptedServer({
      open: (_req, res) => {
        // The head and half the body, then nothing.
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' });
        res.write('{"sid":"S1",');
        held.push(res);
      },
    });
    client = new HmbClient(`${server.url}/b`, {
      httpTransport: makeTransport(),
      requestTimeoutMs: 300,
    });
    const error = await client.send({ type: 'T', queue: 'Q' }, { retry: { maxAttempts: 1 } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const cause = (error as { cause?: unknown }).cause as HmbTimeoutError;
    expect(isHmbError(cause, 'HMB_ERR_TIMEOUT')).toBe(true);
    expect(cause.message).toBe(`no answer within 300 ms: POST ${server.url}/b/open`);
  });

  it(`${name}: a long poll is not bound by requestTimeoutMs`, async () => {
    bus = await startTestBus();
    await publish(bus.url, numbered('Q', 1));
    client = new HmbClient(bus.url, { httpTransport: makeTransport(), requestTimeoutMs: 200 });
    const events: string[] = [];
    const sub = client
      .subscribe(
        { queue: { Q: { seq: 0 } }, heartbeat: 30 },
        { onState: (st) => events.push(st.type) },
      )
      .subscribe({
        next: (m) => events.push(`message ${m.seq}`),
        error: (e: unknown) => events.push(`error ${(e as Error).message}`),
      });
    try {
      // The second message comes three times the request timeout later: the /recv waiting for
      // it must not time out (nor be reopened).
      await sleep(600);
      await publish(bus.url, numbered('Q', 1, 1));
      for (let i = 0; i < 50 && !events.includes('message 1'); i++) await sleep(50);
    } finally {
      sub.unsubscribe();
    }
    expect(events).toEqual(['opening', 'open', 'message 0', 'message 1', 'closed']);
  });
});

describe('request timeout: undici enforcing the deadline itself', () => {
  it.each([
    ['no head', (res: ServerResponse) => void held.push(res)],
    [
      'half a body',
      (res: ServerResponse) => {
        res.writeHead(200, { 'content-length': '100' });
        res.write('{"sid":');
        held.push(res);
      },
    ],
  ])(
    'undici: an answer with %s fails with the request own error, undici timeout kept as its cause',
    async (_what, answer) => {
      server = await startScriptedServer({ open: (_req, res) => answer(res) });
      await expectUndiciDeadline(server.url, new UndiciTransport());
      // With a dispatcher of the user's, the deadline goes with each request instead of an agent.
      const dispatcher = new Agent();
      try {
        await expectUndiciDeadline(server.url, new UndiciTransport({ dispatcher }));
      } finally {
        await dispatcher.destroy();
      }
    },
  );
});

/** One request to `url` with a 300 ms deadline fails with its own error, undici's as the cause. */
async function expectUndiciDeadline(url: string, transport: UndiciTransport): Promise<void> {
  expect(transport.timeoutsFromMs).toBe(10_000);
  const started = Date.now();
  try {
    const failure = await transport
      .request({
        method: 'POST',
        url: `${url}/b/open`,
        headers: {},
        body: '{}',
        signal: new AbortController().signal,
        timeout: { ms: 300, error: () => new Error('deadline') },
      })
      .then((response) => readResponseBody(response))
      .then(
        () => undefined,
        (e: unknown) => e as Error,
      );
    // undici's timers tick every half second: late by up to a second, never early.
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(failure?.message).toBe('deadline');
    expect((failure?.cause as { code?: string }).code).toMatch(/^UND_ERR_(HEADERS|BODY)_TIMEOUT$/);
  } finally {
    await transport.close();
  }
}
