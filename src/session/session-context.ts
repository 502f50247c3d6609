import type { HmbFormat } from '../protocol/hmb-format';
import type { HmbTransport } from '../transport/transport';
import type { HmbBusEndpoint } from './bus-endpoint';

/** Everything a session-level call needs: where, how, and in which format. */
export interface HmbSessionContext {
  readonly transport: HmbTransport;
  readonly endpoint: HmbBusEndpoint;
  /** The format of sessions opened with this context (fixed per session by the server). */
  readonly format: HmbFormat;
  /** Extra headers sent with every request (Authorization included when the URL had credentials). */
  readonly headers: Readonly<Record<string, string>>;
  /** Timeout of requests that are not long polls (/open, /send, /info, …), in ms. */
  readonly requestTimeoutMs: number;
  /** Bound of one whole answer, decompressed (default `DEFAULT_MAX_RESPONSE_BYTES`, 64 MiB). */
  readonly maxResponseBytes?: number;
  /** Bound of one /stream frame while it is read (default `DEFAULT_MAX_FRAME_BYTES`, 64 MiB). */
  readonly maxFrameBytes?: number;
}
