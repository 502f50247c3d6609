// The embedded bus in a process of its own (forked by bus-process.ts), so that a benchmark's
// process holds only the client: its CPU time and heap are the client's alone. The child also
// fills buses with messages over HTTP, so that filling costs the benchmark process nothing.
import { Client } from 'undici';
import type { HmbServerOptions } from '../../src/server';
import { serverEntry } from './hmb-rx';
import { heapAfterGc } from './gc';
import { cpuNowUs } from './measure';
import { jsonSendBody } from './payloads';
import type { BusReply, BusRequest } from './bus-process';

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as HmbServerOptions;
  const server = await serverEntry().startHmbServer({ ...options, port: 0 });
  const http = new Client(server.url, { keepAliveTimeout: 60_000 });
  let acked = 0;
  let onAck: (() => void) | undefined;

  const send = async (bus: string, sid: string, body: Buffer): Promise<void> => {
    const res = await http.request({
      method: 'POST',
      path: `/${bus}/send/${sid}`,
      headers: { 'content-type': 'application/json' },
      body,
    });
    const text = await res.body.text();
    if (res.statusCode !== 204) throw new Error(`/send: ${res.statusCode} ${text}`);
  };
  const open = async (bus: string): Promise<string> => {
    const res = await http.request({
      method: 'POST',
      path: `/${bus}/open`,
      headers: { 'content-type': 'application/json' },
      body: '{"cid":"bench-filler"}',
    });
    return ((await res.body.json()) as { sid: string }).sid;
  };

  const handle = async (req: BusRequest): Promise<unknown> => {
    switch (req.op) {
      case 'cpu':
        return cpuNowUs();
      case 'memory':
        return heapAfterGc();
      case 'fill': {
        // Messages first..first+count-1 in bodies of `batch`, built as they go.
        const sid = await open(req.bus);
        for (let i = 0; i < req.count; i += req.batch) {
          const n = Math.min(req.batch, req.count - i);
          await send(req.bus, sid, jsonSendBody(req.queue, (req.first ?? 0) + i, n, req.pad));
        }
        return req.count;
      }
      case 'publish': {
        // Like fill, but never more than `window` messages ahead of what the benchmark says it
        // has received (ack), so that a bus with a small ring never skips ahead of the reader.
        acked = 0;
        const sid = await open(req.bus);
        for (let i = 0; i < req.count; i += req.batch) {
          while (i - acked >= req.window) await new Promise<void>((r) => (onAck = r));
          const n = Math.min(req.batch, req.count - i);
          await send(req.bus, sid, jsonSendBody(req.queue, i, n, req.pad));
        }
        return req.count;
      }
      case 'ack':
        acked = req.received;
        onAck?.();
        onAck = undefined;
        return undefined;
      case 'stop':
        await http.close();
        await server.close();
        return undefined;
    }
  };

  process.on('message', (raw) => {
    const req = raw as BusRequest & { id: number };
    handle(req).then(
      (value) => {
        if (req.op === 'ack') return;
        process.send?.({ id: req.id, value } satisfies BusReply);
        if (req.op === 'stop') process.exit(0);
      },
      (error: unknown) => process.send?.({ id: req.id, error: String(error) } satisfies BusReply),
    );
  });
  process.send?.({ port: server.port });
}

void main();
