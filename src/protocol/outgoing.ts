import type { HmbTimeInput } from './time';

/**
 * A message to publish. `type` and `queue` are required; the server adds `sender` (your session's
 * cid) and, unless you give one for an out-of-order send, `seq`.
 *
 * @example
 * ```ts
 * const alert: HmbOutgoing<{ magnitude: number }> = {
 *   type: 'SYSTEM_ALERT', queue: 'SYSTEM_ALERT', topic: 'EUROPE', data: { magnitude: 5.2 },
 * };
 * ```
 */
export interface HmbOutgoing<T = unknown> {
  /** Application-defined type. Must be non-empty and not HEARTBEAT, EOF or NEW_QUEUE. */
  readonly type: string;
  /** Target queue (created by the server on the first message sent to it). */
  readonly queue: string;
  /** Optional topic: word characters only (`[A-Za-z0-9_]`). */
  readonly topic?: string;
  /** Explicit seq for an out-of-order send (OOD capability). */
  readonly seq?: number;
  /** Start of the time span the message covers. */
  readonly starttime?: HmbTimeInput;
  /** End of the time span the message covers. */
  readonly endtime?: HmbTimeInput;
  /** The payload: anything JSON (or BSON) can encode. */
  readonly data?: T;
  /** Legacy SeisComP field (an integer). */
  readonly scMessageType?: number;
  /** Legacy SeisComP field. */
  readonly scContentType?: string;
  /** Legacy GDACS field (a document). */
  readonly gdacs?: Readonly<Record<string, unknown>>;
}
