import { lastValueFrom, toArray } from 'rxjs';
import { generate } from 'selfsigned';
import { HmbClient } from '../../src/node';
import { isHmbError } from '../../src/errors/hmb-error';
import { numbered, publish } from '../helpers/publish';
import { startReverseProxy, type ReverseProxy } from '../helpers/reverse-proxy';
import { startTestBus, type TestBus } from '../helpers/test-bus';
import { TRANSPORTS } from '../helpers/transports';

let bus: TestBus;
let proxy: ReverseProxy | undefined;
const clients: HmbClient[] = [];

beforeEach(async () => {
  bus = await startTestBus();
  await publish(bus.url, numbered('Q', 200));
});

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await proxy?.close();
  proxy = undefined;
  await bus.close();
});

function busName(): string {
  return bus.url.split('/').pop()!;
}

function clientOf(
  url: string,
  options: ConstructorParameters<typeof HmbClient>[1] = {},
): HmbClient {
  const c = new HmbClient(url, { retry: { maxAttempts: 1 }, ...options });
  clients.push(c);
  return c;
}

describe.each(TRANSPORTS)('client behind a reverse proxy (%s)', (_name, makeTransport) => {
  it('proxy: basic auth from the URL passes; without it the proxy answers 401, a fatal HmbHttpError', async () => {
    proxy = await startReverseProxy({
      targetPort: bus.server.port,
      basicAuth: { user: 'seismo', password: 'p@ss' },
    });
    const withAuth = proxy.url.replace('http://', 'http://seismo:p%40ss@');
    const c = clientOf(`${withAuth}/${busName()}`, { transport: makeTransport() });
    const got = await lastValueFrom(c.recvAll({ queue: { Q: { seq: 0 } } }).pipe(toArray()));
    expect(got).toHaveLength(200);

    const anonymous = clientOf(`${proxy.url}/${busName()}`, {
      transport: makeTransport(),
      retry: {},
    });
    const error = await lastValueFrom(anonymous.recvAll({ queue: { Q: { seq: 0 } } })).catch(
      (e: unknown) => e,
    );
    expect(isHmbError(error, 'HMB_ERR_HTTP')).toBe(true);
    expect(error).toMatchObject({ status: 401 });
  });

  it('proxy: a bearer token in custom headers passes', async () => {
    proxy = await startReverseProxy({
      targetPort: bus.server.port,
      requireHeader: { name: 'authorization', value: 'Bearer t0k3n' },
    });
    const c = clientOf(`${proxy.url}/${busName()}`, {
      transport: makeTransport(),
      headers: { Authorization: 'Bearer t0k3n' },
    });
    expect(
      await lastValueFrom(c.recvAll({ queue: { Q: { seq: 190 } } }).pipe(toArray())),
    ).toHaveLength(10);
  });

  it.each(['poll', 'stream'] as const)(
    'proxy: gzip-compressed answers are decoded (%s)',
    async (mode) => {
      proxy = await startReverseProxy({ targetPort: bus.server.port, gzip: true });
      for (const format of ['json', 'bson'] as const) {
        const c = clientOf(`${proxy.url}/${busName()}`, { transport: makeTransport(), format });
        const got = await lastValueFrom(
          c
            .recvAll<{ i: number }>({ queue: { Q: { seq: 0 } } }, { transport: mode })
            .pipe(toArray()),
        );
        expect(got.map((m) => m.data?.i)).toEqual(Array.from({ length: 200 }, (_, i) => i));
      }
      expect(proxy.seenHeaders.every((h) => /gzip/.test(String(h['accept-encoding'])))).toBe(true);
    },
  );
});

describe('client over HTTPS', () => {
  it('https: a private CA given to the undici transport is trusted; without it, a fatal HmbTlsError', async () => {
    const pems = await generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keySize: 2048,
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    proxy = await startReverseProxy({
      targetPort: bus.server.port,
      tls: { key: pems.private, cert: pems.cert },
    });
    const trusted = clientOf(`${proxy.url}/${busName()}`, { tls: { ca: pems.cert } });
    expect(
      await lastValueFrom(trusted.recvAll({ queue: { Q: { seq: 195 } } }).pipe(toArray())),
    ).toHaveLength(5);

    const untrusted = clientOf(`${proxy.url}/${busName()}`, { retry: {} });
    const error = await lastValueFrom(untrusted.recvAll({ queue: { Q: { seq: 0 } } })).catch(
      (e: unknown) => e,
    );
    expect(isHmbError(error, 'HMB_ERR_TLS')).toBe(true);
  });
});
