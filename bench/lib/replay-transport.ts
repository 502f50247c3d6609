// An HmbTransport that answers from memory: /open with a fixed acknowledgement, /recv with the
// next of some prebuilt answers, /stream with one prebuilt body, every body in the server's
// 2048-byte chunks. It lets a benchmark measure what the client itself costs, with no server and
// no sockets.
import { serialize } from 'bson';
import type {
  HmbTransport,
  HmbTransportRequest,
  HmbTransportResponse,
} from '../../src/transport/transport';
import type { Format } from './raw-http';
import { serverChunks } from './wire-bodies';

/** Prebuilt answers for one read of one queue from seq 0. */
export interface ReplayScript {
  readonly format: Format;
  readonly queue: string;
  readonly recvBodies: readonly Buffer[];
  readonly streamBody: Buffer;
}

/** Answers one subscription's requests from a {@link ReplayScript}; `reset()` before each read. */
export class ReplayTransport implements HmbTransport {
  private readonly recvChunks: Buffer[][];
  private readonly streamChunks: Buffer[];
  private readonly ack: Buffer;
  private readonly contentType: string;
  private nextRecv = 0;

  constructor(private readonly script: ReplayScript) {
    this.recvChunks = script.recvBodies.map(serverChunks);
    this.streamChunks = serverChunks(script.streamBody);
    const ack = { sid: 'SID', cid: 'CID', queue: { [script.queue]: { seq: 0, error: null } } };
    this.ack =
      script.format === 'json' ? Buffer.from(JSON.stringify(ack)) : Buffer.from(serialize(ack));
    this.contentType = script.format === 'json' ? 'application/json' : 'application/bson';
  }

  /** Starts the /recv answers over. */
  reset(): void {
    this.nextRecv = 0;
  }

  async request(req: HmbTransportRequest): Promise<HmbTransportResponse> {
    const method = new URL(req.url).pathname.split('/')[2];
    let chunks: readonly Buffer[];
    if (method === 'open') chunks = [this.ack];
    else if (method === 'recv') chunks = this.recvChunks[this.nextRecv++] ?? [];
    else if (method === 'stream') chunks = this.streamChunks;
    else throw new Error(`replay transport: unexpected ${req.method} ${req.url}`);
    const contentType = this.contentType;
    return {
      status: 200,
      header: (name) => (name.toLowerCase() === 'content-type' ? contentType : undefined),
      body: (async function* () {
        yield* chunks;
      })(),
    };
  }

  async close(): Promise<void> {}
}
