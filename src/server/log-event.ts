/**
 * What the embedded bus reports through the `logger` option: a union on `type`, so a consumer
 * (such as `hmb serve`) can match it exhaustively.
 *
 * @example
 * ```ts
 * import { startHmbServer, type HmbServerLogEvent } from 'hmb-rx/server';
 * const server = await startHmbServer({
 *   port: 0,
 *   logger: (e: HmbServerLogEvent) => {
 *     if (e.type === 'session-opened') console.log(`${e.bus}: session ${e.sid} from ${e.address}`);
 *   },
 * });
 * ```
 */
export type HmbServerLogEvent =
  | { readonly type: 'listening'; readonly url: string }
  | { readonly type: 'bus-created'; readonly bus: string }
  | { readonly type: 'bus-freed'; readonly bus: string }
  | { readonly type: 'queue-created'; readonly bus: string; readonly queue: string }
  | {
      readonly type: 'session-opened';
      readonly bus: string;
      readonly sid: string;
      readonly cid: string;
      readonly address: string;
      readonly format: 'JSON' | 'BSON';
    }
  | {
      readonly type: 'session-expired';
      readonly bus: string;
      readonly sid: string;
      readonly cid: string;
      readonly idleSec: number;
    }
  | {
      readonly type: 'session-evicted';
      readonly bus: string;
      readonly sid: string;
      readonly cid: string;
      readonly ip: string;
    }
  | {
      readonly type: 'request-error';
      readonly method: string;
      readonly path: string;
      readonly status: number;
      readonly message: string;
      readonly address: string;
    }
  | {
      readonly type: 'storage-loaded';
      readonly bus: string;
      readonly queue: string;
      readonly messages: number;
    }
  | {
      readonly type: 'storage-recovered';
      readonly file: string;
      readonly droppedBytes: number;
      readonly reason: string;
    }
  | { readonly type: 'storage-skipped'; readonly file: string; readonly reason: string }
  | { readonly type: 'storage-compacted'; readonly file: string; readonly records: number }
  | { readonly type: 'storage-error'; readonly message: string; readonly cause: unknown }
  | { readonly type: 'internal-error'; readonly message: string; readonly cause: unknown }
  | { readonly type: 'closed' };

/**
 * The logger signature of {@link HmbServerLogEvent}s. A logger that throws is ignored.
 *
 * @example
 * ```ts
 * import type { HmbServerLogger } from 'hmb-rx/server';
 * const logErrors: HmbServerLogger = (e) => {
 *   if (e.type === 'request-error') console.warn(`${e.status} ${e.message} (${e.method} ${e.path})`);
 * };
 * ```
 */
export type HmbServerLogger = (event: HmbServerLogEvent) => void;
