import { lastValueFrom } from 'rxjs';
import { HmbClient } from '../../src/node';
import { DEFAULT_RECV_ALL_ATTEMPTS } from '../../src/client/client-options';
import { DEFAULT_ONE_SHOT_ATTEMPTS, DEFAULT_SEND_ATTEMPTS } from '../../src/client/hmb-client';
import { isHmbError } from '../../src/errors/hmb-error';
import { recvWindow } from '../../src/client/recv-window';
import type { HmbConnectionState } from '../../src/session/connection-state';
import { DEFAULT_SINK_ATTEMPTS } from '../../src/sink/sink-options';
import type { HmbSendResult } from '../../src/sink/send-result';
import type { HmbTransportRequest } from '../../src/transport/transport';
import { UndiciTransport } from '../../src/transport/undici-transport';
import { closedPort } from '../helpers/scripted-server';

// Small delays so that the default attempt counts run out in milliseconds; no maxAttempts here:
// each operation's own default is what is tested.
const FAST = { initialDelayMs: 1, maxDelayMs: 4 };

describe('client: every bounded operation ends when the bus stays down', () => {
  let client: HmbClient;
  let url: string;
  /** Requests the client made, by HMB method (`open`, `info` …): every one of them refused. */
  let requests: Record<string, number>;
  beforeEach(async () => {
    url = `http://127.0.0.1:${await closedPort()}/bus`;
    requests = {};
    const undici = new UndiciTransport();
    const counting = {
      request: (r: HmbTransportRequest) => {
        const method = new URL(r.url).pathname.split('/')[2] ?? '';
        requests[method] = (requests[method] ?? 0) + 1;
        return undici.request(r);
      },
      close: () => undici.close(),
    };
    client = new HmbClient(url, { retry: FAST, heartbeat: 0, httpTransport: counting });
  });
  afterEach(() => client.close());

  const openings = (states: HmbConnectionState[]): number =>
    states.filter((s) => s.type === 'opening').length;

  it(`client: recvAll errors with the last (network) error after DEFAULT_RECV_ALL_ATTEMPTS (${DEFAULT_RECV_ALL_ATTEMPTS}) attempts`, async () => {
    const states: HmbConnectionState[] = [];
    const error = await lastValueFrom(
      client.recvAll({ queue: { Q: {} } }, { onState: (s) => states.push(s) }),
    ).catch((e: unknown) => e);
    expect(isHmbError(error, 'HMB_ERR_NETWORK')).toBe(true);
    expect(openings(states)).toBe(DEFAULT_RECV_ALL_ATTEMPTS);
    expect(requests).toEqual({ open: DEFAULT_RECV_ALL_ATTEMPTS });
    expect(states.at(-1)).toEqual({ type: 'closed', error });
  });

  it('client: recvAll with retry.maxAttempts 2 makes exactly 2 attempts', async () => {
    const states: HmbConnectionState[] = [];
    await lastValueFrom(
      client.recvAll(
        { queue: { Q: {} } },
        { retry: { ...FAST, maxAttempts: 2 }, onState: (s) => states.push(s) },
      ),
    ).catch(() => undefined);
    expect(openings(states)).toBe(2);
    expect(requests).toEqual({ open: 2 });
  });

  it('client: recvWindow errors after /info and then recvAll gave up', async () => {
    const states: HmbConnectionState[] = [];
    const error = await lastValueFrom(
      recvWindow(client, { queue: { Q: { seq: 0 } } }, { onState: (s) => states.push(s) }),
    ).catch((e: unknown) => e);
    expect(isHmbError(error, 'HMB_ERR_NETWORK')).toBe(true);
    expect(openings(states)).toBe(DEFAULT_RECV_ALL_ATTEMPTS);
    expect(requests).toEqual({ info: DEFAULT_ONE_SHOT_ATTEMPTS, open: DEFAULT_RECV_ALL_ATTEMPTS });
  });

  it(`client: info() errors after DEFAULT_ONE_SHOT_ATTEMPTS (${DEFAULT_ONE_SHOT_ATTEMPTS}) attempts`, async () => {
    const error = await lastValueFrom(client.info()).catch((e: unknown) => e);
    expect(isHmbError(error, 'HMB_ERR_NETWORK')).toBe(true);
    expect(requests).toEqual({ info: DEFAULT_ONE_SHOT_ATTEMPTS });
  });

  it(`client: send() rejects with HmbSendError after DEFAULT_SEND_ATTEMPTS (${DEFAULT_SEND_ATTEMPTS}) attempts, the last error as cause`, async () => {
    const error = await client.sendMsg('T', 'Q', { i: 1 }).catch((e: unknown) => e);
    expect(isHmbError(error, 'HMB_ERR_SEND')).toBe(true);
    expect((error as Error).message).toContain(`after ${DEFAULT_SEND_ATTEMPTS} attempt(s)`);
    expect(isHmbError((error as Error).cause, 'HMB_ERR_NETWORK')).toBe(true);
    expect(requests).toEqual({ open: DEFAULT_SEND_ATTEMPTS });
  });

  it(`client: sink.done settles after DEFAULT_SINK_ATTEMPTS (${DEFAULT_SINK_ATTEMPTS}) attempts per batch, each message reported failed`, async () => {
    const sink = client.sink<{ i: number }>();
    const failed: HmbSendResult[] = [];
    sink.results.subscribe((r) => r.kind === 'failed' && failed.push(r));
    for (let i = 0; i < 3; i++) sink.next({ type: 'T', queue: 'Q', data: { i } });
    sink.complete();
    expect(await sink.done).toMatchObject({ sent: 0, failed: 3 });
    expect(failed).toHaveLength(1);
    const error = failed[0]!.kind === 'failed' ? failed[0]!.error : undefined;
    expect(error?.message).toContain(`after ${DEFAULT_SINK_ATTEMPTS} attempt(s)`);
    expect(isHmbError(error?.cause, 'HMB_ERR_NETWORK')).toBe(true);
    expect(requests).toEqual({ open: DEFAULT_SINK_ATTEMPTS });
  });

  it('client: a sink with retry.maxAttempts 3 makes exactly 3 attempts (not 4)', async () => {
    const sink = client.sink({ retry: { maxAttempts: 3 } });
    const messages: string[] = [];
    sink.results.subscribe((r) => r.kind === 'failed' && messages.push(r.error.message));
    sink.next({ type: 'T', queue: 'Q' });
    sink.complete();
    await sink.done;
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('after 3 attempt(s)');
    expect(requests).toEqual({ open: 3 });
  });
});
