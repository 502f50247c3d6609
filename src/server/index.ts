/**
 * The embedded HMB bus (Node only): `import { startHmbServer } from 'hmb-rx/server'`.
 *
 * @example
 * ```ts
 * import { startHmbServer } from 'hmb-rx/server';
 * const server = await startHmbServer({ port: 0, sessionTimeoutSec: 30 });
 * // point a client at `${server.url}/mybus`
 * await server.close();
 * ```
 * @packageDocumentation
 */
export { startHmbServer, type HmbServerHandle } from './start-hmb-server';
export { HMB_SERVER_DEFAULTS, type HmbServerOptions } from './options';
export type { HmbServerLogEvent, HmbServerLogger } from './log-event';
