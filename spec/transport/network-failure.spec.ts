import { HmbSessionLostError } from '../../src/errors/session-lost-error';
import { HmbTimeoutError } from '../../src/errors/timeout-error';
import { classifySendFailure } from '../../src/sink/send-failure';
import { classifyNetworkFailure } from '../../src/transport/network-failure';
import type { HmbTransport } from '../../src/transport/transport';
import { closedPort, startScriptedServer, type ScriptedServer } from '../helpers/scripted-server';
import { TRANSPORTS } from '../helpers/transports';

/** A server that reads the whole /send, then cuts the connection without an answer. */
async function cuttingServer(): Promise<{ server: ScriptedServer; received: () => number }> {
  let received = 0;
  const server = await startScriptedServer({
    send: (req) => {
      received++;
      req.socket.destroy();
    },
  });
  return { server, received: () => received };
}

async function failureOf(transport: HmbTransport, url: string): Promise<unknown> {
  try {
    const response = await transport.request({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      body: '{"0":{"type":"T","queue":"Q"}}',
      signal: new AbortController().signal,
    });
    for await (const chunk of response.body) void chunk;
  } catch (error) {
    return error;
  }
  throw new Error('the request did not fail');
}

describe.each(TRANSPORTS)('transport: failure classification (%s)', (_name, make) => {
  let transport: HmbTransport;
  beforeEach(() => (transport = make()));
  afterEach(() => transport.close());

  it('transport: a refused connection is not-sent, for the transport and for the sink', async () => {
    const error = await failureOf(transport, `http://127.0.0.1:${await closedPort()}/b/send/S`);
    expect(classifyNetworkFailure(error)).toBe('not-sent');
    expect(classifySendFailure(error)).toBe('not-sent');
  });

  it('transport: a connection cut after the server read the request is maybe-sent (uncertain for the sink)', async () => {
    const { server, received } = await cuttingServer();
    try {
      const error = await failureOf(transport, `${server.url}/b/send/S`);
      // The server did get the whole request: "not sent" would be a lie here.
      expect(received()).toBe(1);
      expect(classifyNetworkFailure(error)).toBe('maybe-sent');
      expect(classifySendFailure(error)).toBe('uncertain');
    } finally {
      await server.close();
    }
  });
});

describe('transport: failure classification without a socket code', () => {
  it('transport: our own answer timeout is maybe-sent; a lost session is not a network question', () => {
    expect(classifyNetworkFailure(new HmbTimeoutError('no answer within 10 ms'))).toBe(
      'maybe-sent',
    );
    expect(classifySendFailure(new HmbTimeoutError('no answer within 10 ms'))).toBe('uncertain');
    // The HMB_ERR_ code of the wrapper is not mistaken for a socket code.
    const connectTimeout = new HmbTimeoutError('connect timeout', {
      cause: Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' }),
    });
    expect(classifyNetworkFailure(connectTimeout)).toBe('not-sent');
    expect(classifySendFailure(new HmbSessionLostError('session lost'))).toBe('session-lost');
  });
});
