import { HmbClient } from '../../src/node';
import { isHmbError } from '../../src/errors/hmb-error';
import { startScriptedServer, type ScriptedServer } from '../helpers/scripted-server';
import { TRANSPORTS } from '../helpers/transports';

// The body of a /stream is endless, so its request sets no size bound; an error page in its place
// must still be read within maxResponseBytes, on either transport (it used to be read whole).

let server: ScriptedServer | undefined;
let client: HmbClient | undefined;
afterEach(async () => {
  await client?.close();
  await server?.close();
  client = undefined;
  server = undefined;
});

describe.each(TRANSPORTS)('/stream error page (%s transport)', (_name, makeTransport) => {
  it('stream: an error page larger than maxResponseBytes fails with HmbTooLargeError', async () => {
    server = await startScriptedServer({
      open: (_req, res) =>
        void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ sid: 'S1', cid: 'c', queue: { Q: { seq: 0 } } })),
      stream: (_req, res) => void res.writeHead(502).end('x'.repeat(1024 * 1024)),
    });
    client = new HmbClient(`${server.url}/b`, {
      httpTransport: makeTransport(),
      maxResponseBytes: 1_000,
    });
    const error = await new Promise<unknown>((resolve) => {
      client!
        .recvAll({ queue: { Q: { seq: 0 } } }, { transport: 'stream', retry: { maxAttempts: 1 } })
        .subscribe({ error: resolve, complete: () => resolve(undefined) });
    });
    expect(isHmbError(error, 'HMB_ERR_TOO_LARGE')).toBe(true);
  });
});
