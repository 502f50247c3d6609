/**
 * hmb-rx for Node: the same API as the browser entry point, with undici (keep-alive pool, TLS
 * options, gzip) as the default transport.
 *
 * @packageDocumentation
 */
import { HmbClient as BrowserSafeHmbClient } from './client/hmb-client';
import type { HmbClientOptions } from './client/client-options';
import type { HmbTransport } from './transport/transport';
import { UndiciTransport, type HmbUndiciTransportOptions } from './transport/undici-transport';

export * from './index';
export { FileCursorStore } from './cursor/file-cursor-store';
export {
  UndiciTransport,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_CONNECTIONS_PER_ORIGIN,
  DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
  type HmbUndiciTransportOptions,
} from './transport/undici-transport';

/** Options of the Node {@link HmbClient}: the common ones plus undici's (TLS, timeouts, pool). */
export interface HmbNodeClientOptions
  extends HmbClientOptions, Omit<HmbUndiciTransportOptions, 'dispatcher'> {}

/**
 * A client of one HMB bus, for Node: see the browser-safe `HmbClient` for the API. The default
 * transport is undici; `tls`, `connectTimeoutMs`, `keepAliveTimeoutMs` and `connections` tune it.
 *
 * @example
 * ```ts
 * import { HmbClient } from 'hmb-rx';
 * const client = new HmbClient('https://hmb.example.org/test', { tls: { ca: readFileSync('ca.pem') } });
 * ```
 */
export class HmbClient extends BrowserSafeHmbClient {
  constructor(busUrl: string, options: HmbNodeClientOptions = {}) {
    super(busUrl, options);
  }

  protected static override defaultTransport(options: HmbNodeClientOptions): HmbTransport {
    return new UndiciTransport(options);
  }
}
