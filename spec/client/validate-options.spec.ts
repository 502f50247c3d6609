import { firstValueFrom, lastValueFrom, toArray, type Observable } from 'rxjs';
import { HmbClient } from '../../src/node';
import { isHmbError } from '../../src/errors/hmb-error';
import {
  checkClientOptions,
  checkSinkOptions,
  checkSubscribeOptions,
  checkSubscribeParams,
} from '../../src/client/validate-options';
import { recvWindow } from '../../src/client/recv-window';
import { MemoryCursorStore } from '../../src/cursor/memory-cursor-store';
import type { HmbTransport, HmbTransportRequest } from '../../src/transport/transport';
import { UndiciTransport } from '../../src/transport/undici-transport';
import { numbered, publish } from '../helpers/publish';
import { startTestBus, type TestBus } from '../helpers/test-bus';

// Nothing listens on this port: a check that lets a bad option through would try to connect and
// fail with a network error instead of HMB_ERR_BAD_PARAM.
const NOWHERE = 'http://127.0.0.1:9/bus';

/** Runs `call` and returns what it threw synchronously, or undefined. */
function thrownBy(call: () => unknown): unknown {
  try {
    call();
    return undefined;
  } catch (error) {
    return error;
  }
}

/** The error notification of an Observable that must not throw when called. */
async function errorOf(make: () => Observable<unknown>): Promise<unknown> {
  let source: Observable<unknown> | undefined;
  expect(thrownBy(() => (source = make()))).toBeUndefined();
  return lastValueFrom(source!).then(
    () => new Error('completed instead of erroring'),
    (e: unknown) => e,
  );
}

function expectBadParam(error: unknown, ...fragments: string[]): void {
  expect(isHmbError(error, 'HMB_ERR_BAD_PARAM')).toBe(true);
  for (const fragment of fragments) expect((error as Error).message).toContain(fragment);
}

describe('client: options checked at the boundary (the inputs of issue 13)', () => {
  let client: HmbClient;
  beforeEach(() => {
    client = new HmbClient(NOWHERE, { retry: { maxAttempts: 1 } });
  });
  afterEach(() => client.close());

  const cases: readonly [string, (c: HmbClient) => Observable<unknown>, string[]][] = [
    [
      "topics: 'EU'",
      (c) => c.subscribe({ queue: { Q: { topics: 'EU' as never } } }),
      ['topics must be an array', 'got "EU"'],
    ],
    [
      'queue: { Q: null } (subscribe)',
      (c) => c.subscribe({ queue: { Q: null as never } }),
      ['queue "Q"', 'got null'],
    ],
    [
      'queue: { Q: null } (recvAll)',
      (c) => c.recvAll({ queue: { Q: null as never } }),
      ['queue "Q"', 'got null'],
    ],
    [
      'recvAll(undefined)',
      (c) => c.recvAll(undefined as never),
      ['recvAll needs parameters', 'got undefined'],
    ],
    [
      "recvAll({ queue: ['Q'] })",
      (c) => c.recvAll({ queue: ['Q'] as never }),
      ['queue must be an object mapping queue names', 'got ["Q"]'],
    ],
    [
      'seq: "0"',
      (c) => c.recvAll({ queue: { Q: { seq: '0' as never } } }),
      ['seq must be an integer, got "0"'],
    ],
    [
      "transport: 'streaming'",
      (c) => c.subscribe({ queue: { Q: {} } }, { transport: 'streaming' as never }),
      ["transport must be 'poll', 'stream' or 'auto'", 'got "streaming"'],
    ],
    [
      'transport: an HmbTransport object on a subscription',
      (c) => c.subscribe({ queue: { Q: {} } }, { transport: new UndiciTransport() as never }),
      ['transport must be', 'httpTransport'],
    ],
    [
      "retry: { initialDelayMs: 'x' }",
      (c) => c.subscribe({ queue: { Q: {} } }, { retry: { initialDelayMs: 'x' as never } }),
      ['retry: initialDelayMs must be a number of milliseconds >= 0, got "x"'],
    ],
    [
      'retry: { maxAttempts: 0 }',
      (c) => c.recvAll({ queue: { Q: {} } }, { retry: { maxAttempts: 0 } }),
      ['maxAttempts must be an integer >= 1', 'got 0'],
    ],
    [
      'heartbeat: -1 (parameters)',
      (c) => c.subscribe({ queue: { Q: {} }, heartbeat: -1 }),
      ['heartbeat must not be negative, got -1'],
    ],
    [
      'options that are not an object',
      (c) => c.events({ queue: { Q: {} } }, 'stream' as never),
      ['events: options must be an object, got "stream"'],
    ],
    [
      'recvWindow(undefined)',
      (c) => recvWindow(c, undefined as never),
      ['recvWindow needs parameters', 'got undefined'],
    ],
    [
      "recvWindow with transport: 'streaming'",
      (c) => recvWindow(c, { queue: { Q: {} } }, { transport: 'streaming' as never }),
      ['got "streaming"'],
    ],
    [
      "send with format: 'xml'",
      (c) => c.send$({ type: 'T', queue: 'Q' }, { format: 'xml' as never }),
      ["format must be 'json' or 'bson'", 'got "xml"'],
    ],
    [
      'send with maxBatchMessages: 0',
      (c) => c.send$({ type: 'T', queue: 'Q' }, { maxBatchMessages: 0 }),
      ['maxBatchMessages must be an integer >= 1, got 0'],
    ],
  ];

  it.each(cases)(
    'client: %s is HMB_ERR_BAD_PARAM as an error notification, naming the option and quoting what was given',
    async (_name, make, fragments) => {
      expectBadParam(await errorOf(() => make(client)), ...fragments);
    },
  );

  it('client: send() with a bad option rejects (never throws) with HMB_ERR_BAD_PARAM', async () => {
    let promise: Promise<unknown> | undefined;
    expect(
      thrownBy(
        () => (promise = client.send({ type: 'T', queue: 'Q' }, { uncertain: 'maybe' as never })),
      ),
    ).toBeUndefined();
    expectBadParam(
      await promise!.catch((e: unknown) => e),
      "uncertain must be 'resend' or 'report'",
      'got "maybe"',
    );
  });

  it('client: sink() with a bad option throws HMB_ERR_BAD_PARAM at once (a sink is an Observer: no error channel yet)', () => {
    expectBadParam(
      thrownBy(() => client.sink({ keepAliveSec: -1 })),
      'sink: keepAliveSec',
      'got -1',
    );
  });
});

describe('client: constructor options', () => {
  const bad: readonly [string, Record<string, unknown>, string[]][] = [
    ["format: 'xml'", { format: 'xml' }, ["format must be 'json' or 'bson'", 'got "xml"']],
    ["format: 'BSON'", { format: 'BSON' }, ['(lower case)', 'got "BSON"']],
    [
      "transport: 'streaming'",
      { transport: 'streaming' },
      ["'poll', 'stream' or 'auto'", 'got "streaming"'],
    ],
    [
      'heartbeat: -1',
      { heartbeat: -1 },
      ['heartbeat must be a whole number of seconds >= 0', 'got -1'],
    ],
    ['heartbeat: 1.5', { heartbeat: 1.5 }, ['heartbeat must be', 'got 1.5']],
    [
      "requestTimeoutMs: 'abc'",
      { requestTimeoutMs: 'abc' },
      ['requestTimeoutMs must be a number of milliseconds >= 1, got "abc"'],
    ],
    [
      "retry: { initialDelayMs: 'x' }",
      { retry: { initialDelayMs: 'x' } },
      ['retry: initialDelayMs', 'got "x"'],
    ],
    ['retry: 5', { retry: 5 }, ['retry must be an object', 'got 5']],
    [
      'headers with a number',
      { headers: { 'x-a': 1 } },
      ['headers must be an object of header names to string values'],
    ],
    ['recheck: "no"', { recheck: 'no' }, ['recheck must be true or false, got "no"']],
    [
      'maxResponseBytes: -1',
      { maxResponseBytes: -1 },
      ['maxResponseBytes must be an integer >= 1, got -1'],
    ],
    [
      'httpTransport: {}',
      { httpTransport: {} },
      ['httpTransport must be an HmbTransport', 'got {}'],
    ],
    [
      'transport object and httpTransport',
      { transport: new UndiciTransport(), httpTransport: new UndiciTransport() },
      ['httpTransport only', 'got both'],
    ],
    [
      'subscribeDefaults: { waitForQueues: 1 }',
      { subscribeDefaults: { waitForQueues: 1 } },
      ['subscribeDefaults: waitForQueues must be true or false, got 1'],
    ],
  ];

  it.each(bad)(
    'client: new HmbClient(url, { %s }) throws HMB_ERR_BAD_PARAM naming it',
    (_name, options, fragments) => {
      expectBadParam(
        thrownBy(() => new HmbClient(NOWHERE, options as never)),
        'new HmbClient',
        ...fragments,
      );
    },
  );

  it('client: every option of the client, a subscription and a sink has a check that refuses a wrong type', () => {
    // One wrong value per option; a rule missing from the table would let it through.
    const client: Record<string, unknown> = {
      format: 1,
      httpTransport: 1,
      transport: 1,
      headers: 1,
      requestTimeoutMs: 0,
      heartbeat: 'x',
      retry: 'x',
      recheck: 1,
      maxResponseBytes: 0,
      maxFrameBytes: 'x',
      subscribeDefaults: 1,
    };
    const subscribe: Record<string, unknown> = {
      heartbeats: 1,
      retry: true,
      onState: 1,
      onGap: 1,
      onLive: 1,
      readTimeoutMs: -1,
      backlogThenLive: 1,
      transport: 'x',
      waitForQueues: 1,
      healGaps: 'yes',
      cursor: 1,
      demand: 1,
      scheduler: 1,
    };
    const sink: Record<string, unknown> = {
      format: 'x',
      cid: '',
      ownSession: 1,
      maxBatchMessages: 1.5,
      maxBatchBytes: 0,
      maxBufferedMessages: -1,
      retry: false,
      uncertain: 'x',
      keepAliveSec: -1,
    };
    const retry: Record<string, unknown> = {
      initialDelayMs: -1,
      maxDelayMs: NaN,
      factor: 0.5,
      maxAttempts: 1.5,
      jitter: 'some',
      sessionLimitDelayMs: 'x',
    };
    const cursor: Record<string, unknown> = { store: {}, key: '', saveIntervalMs: -1, onError: 1 };
    for (const [name, value] of Object.entries(client))
      expectBadParam(
        thrownBy(() => checkClientOptions({ [name]: value })),
        name,
      );
    for (const [name, value] of Object.entries(subscribe))
      expectBadParam(
        thrownBy(() => checkSubscribeOptions({ [name]: value }, 'subscribe')),
        name,
      );
    for (const [name, value] of Object.entries(sink))
      expectBadParam(
        thrownBy(() => checkSinkOptions({ [name]: value }, 'sink')),
        name,
      );
    for (const [name, value] of Object.entries(retry))
      expectBadParam(
        thrownBy(() => checkSinkOptions({ retry: { [name]: value } }, 'sink')),
        `retry: ${name}`,
      );
    const store = new MemoryCursorStore();
    for (const [name, value] of Object.entries(cursor))
      expectBadParam(
        thrownBy(() =>
          checkSubscribeOptions({ cursor: { store, key: 'k', [name]: value } }, 'subscribe'),
        ),
        `cursor`,
      );
    expectBadParam(
      thrownBy(() => checkSubscribeParams({ queue: {} }, 'subscribe')),
      'at least one queue',
    );
  });

  it('client: the right values pass every check', () => {
    expect(
      thrownBy(() =>
        checkClientOptions({
          format: 'bson',
          transport: 'auto',
          headers: { a: 'b' },
          requestTimeoutMs: 5,
          heartbeat: 0,
          retry: {
            initialDelayMs: 0,
            maxDelayMs: 10,
            factor: 1,
            maxAttempts: Infinity,
            jitter: 'none',
          },
          recheck: false,
          subscribeDefaults: { retry: false, transport: 'stream' },
        }),
      ),
    ).toBeUndefined();
    expect(
      thrownBy(() => checkSinkOptions({ cid: 'me', uncertain: 'report', keepAliveSec: 0 }, 'sink')),
    ).toBeUndefined();
    expect(
      thrownBy(() =>
        checkSubscribeOptions(
          { cursor: { store: new MemoryCursorStore(), key: 'k' }, scheduler: undefined },
          's',
        ),
      ),
    ).toBeUndefined();
  });
});

describe('client: one name for the receive mode, another for the HTTP implementation', () => {
  let bus: TestBus;
  let client: HmbClient | undefined;
  beforeEach(async () => {
    bus = await startTestBus();
  });
  afterEach(async () => {
    await client?.close();
    await bus.close();
  });

  /** An HmbTransport that records the path of every request. */
  function recording(paths: string[]): HmbTransport {
    const inner = new UndiciTransport();
    return {
      request: (request: HmbTransportRequest) => {
        paths.push(new URL(request.url).pathname.split('/')[2] ?? '');
        return inner.request(request);
      },
      close: () => inner.close(),
    };
  }

  it("client: new HmbClient(url, { format, transport: 'stream' }) reads with /stream; a subscription's transport wins", async () => {
    await publish(bus.url, numbered('Q', 5), { format: 'bson' });
    const paths: string[] = [];
    client = new HmbClient(bus.url, {
      format: 'bson',
      transport: 'stream',
      httpTransport: recording(paths),
    });
    const got = await lastValueFrom(client.recvAll({ queue: { Q: { seq: 0 } } }).pipe(toArray()));
    expect(got.map((m) => m.seq)).toEqual([0, 1, 2, 3, 4]);
    expect(paths).toEqual(['open', 'stream']);
    paths.length = 0;
    await lastValueFrom(client.recvAll({ queue: { Q: { seq: 0 } } }, { transport: 'poll' }));
    expect(paths).toEqual(['open', 'recv']);
  });

  it('client: an HmbTransport object given as transport (its former meaning) is still used for HTTP', async () => {
    const paths: string[] = [];
    client = new HmbClient(bus.url, { transport: recording(paths) });
    await firstValueFrom(client.info());
    expect(paths).toEqual(['info']);
  });
});
