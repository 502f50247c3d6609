/**
 * A message delivered by an HMB bus.
 *
 * Fields are the ones the server writes (`type`, `queue`, `seq` always; the others only when set),
 * plus `kind`, which hmb-rx adds so that messages, heartbeats and EOF can be told apart with
 * ts-pattern's `.exhaustive()`.
 *
 * @typeParam T - the type of `data`, as your application defines it.
 *
 * @example
 * ```ts
 * import { match } from 'ts-pattern';
 * match(frame)
 *   .with({ kind: 'message' }, (m) => console.log(m.queue, m.seq, m.data))
 *   .with({ kind: 'heartbeat' }, () => {})
 *   .with({ kind: 'eof' }, () => console.log('window complete'))
 *   .exhaustive();
 * ```
 */
export interface HmbMessage<T = unknown> {
  readonly kind: 'message';
  /** The application-defined message type, e.g. `SYSTEM_ALERT`. */
  readonly type: string;
  /** The queue that holds the message. */
  readonly queue: string;
  /** The message's sequence number in its queue (from 0). */
  readonly seq: number;
  /** The topic, if the sender gave one (word characters only). */
  readonly topic?: string;
  /** The cid of the session that sent the message (set by the server). */
  readonly sender?: string;
  /** Start of the time span the message covers: `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
  readonly starttime?: string;
  /** End of the time span the message covers: `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
  readonly endtime?: string;
  /** The payload. Absent when the sender sent none. */
  readonly data?: T;
  /** Legacy SeisComP field, passed through unchanged. */
  readonly scMessageType?: number;
  /** Legacy SeisComP field, passed through unchanged. */
  readonly scContentType?: string;
  /** Legacy GDACS field, passed through unchanged. */
  readonly gdacs?: Readonly<Record<string, unknown>>;
  /**
   * Set by hmb-rx (never on the wire) once the server has gone backwards on this queue during the
   * subscription (a rewind gap): how many times it did. The server reuses the seqs it lost for new
   * messages, so `(queue, epoch, seq)` identifies a message; absent means 0.
   */
  readonly epoch?: number;
}

/** A keep-alive the server sends when a session is idle for its `heartbeat` interval. */
export interface HmbHeartbeat {
  readonly kind: 'heartbeat';
  readonly type: 'HEARTBEAT';
}

/** The end of a window: every queue of the session has ended (`keep: false`, `endseq`, `endtime`). */
export interface HmbEof {
  readonly kind: 'eof';
  readonly type: 'EOF';
}

/** Anything a /recv or /stream response carries. */
export type HmbFrame<T = unknown> = HmbMessage<T> | HmbHeartbeat | HmbEof;

/** The type of server heartbeats (and of the keep-alive a client may send). */
export const HEARTBEAT_TYPE = 'HEARTBEAT';
/** The type of the end-of-window marker. */
export const EOF_TYPE = 'EOF';
/** The type of the announcements of new queues on the `ANNOUNCEMENT` queue. */
export const NEW_QUEUE_TYPE = 'NEW_QUEUE';
/** The message type of every EMSC envelope (docs/emsc.md). */
export const EMSC_MESSAGE_TYPE = 'EMSC_MSG';
/** The queue every bus has from the start; NEW_QUEUE messages are posted to it. */
export const ANNOUNCEMENT_QUEUE = 'ANNOUNCEMENT';

/** The single heartbeat value (heartbeats carry nothing else). */
export const HEARTBEAT: HmbHeartbeat = Object.freeze({ kind: 'heartbeat', type: HEARTBEAT_TYPE });
/** The single EOF value (EOF carries nothing else). */
export const EOF: HmbEof = Object.freeze({ kind: 'eof', type: EOF_TYPE });

/** The `data` of a NEW_QUEUE announcement. */
export interface HmbNewQueueData {
  readonly name: string;
}
