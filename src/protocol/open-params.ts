import type { HmbFilter } from './filter-types';
import type { HmbTimeInput } from './time';

/**
 * What to receive from one queue: the per-queue part of the /open request. Every field is
 * optional; names are the protocol's own.
 */
export interface HmbQueueParams {
  /**
   * Topic patterns: `?` one character, `*` any run, a leading `!` excludes. A message passes if it
   * matches any positive pattern (or none is given) and no negative one. Omitted: all topics.
   */
  readonly topics?: readonly string[];
  /**
   * Where to start. `0` and up: that seq. Negative counts back from the next one: `-1` (the
   * default) only new messages, `-2` the last message, `-5` the last four, and so on.
   */
  readonly seq?: number;
  /** Inclusive last seq of a window; the subscription ends with EOF after it. */
  readonly endseq?: number;
  /** Time window start: messages ending at or before it are skipped (untimed ones pass). */
  readonly starttime?: HmbTimeInput;
  /** Time window end: the queue ends at the first message starting after it. */
  readonly endtime?: HmbTimeInput;
  /** A MongoDB-style filter evaluated by the server. */
  readonly filter?: HmbFilter;
  /** Maximum lag: a subscriber more than `qlen + 1` behind skips ahead (`-1`: no limit). */
  readonly qlen?: number;
  /** Seconds to wait for a missing seq (an out-of-order gap) before skipping it. */
  readonly oowait?: number;
  /**
   * `true` (the default): stay open for real-time data. `false`: end once caught up; when every
   * queue has ended the server sends EOF and the Observable completes.
   */
  readonly keep?: boolean;
  /** Undocumented server option: read seq as a wrapping 24-bit SeedLink sequence number. */
  readonly seedlink?: boolean;
}

/** The body of an /open request. */
export interface HmbOpenParams {
  /** The client id to use. Sessions sharing a cid never receive each other's messages. */
  readonly cid?: string;
  /** Seconds between HEARTBEAT messages while the session is idle (0 or absent: none). */
  readonly heartbeat?: number;
  /** Kilobytes per /recv answer (default 1024 on the server). /stream ignores it. */
  readonly recv_limit?: number;
  /** The queues to subscribe to, by name. */
  readonly queue?: Readonly<Record<string, HmbQueueParams>>;
}

/** The server's answer for one queue of an /open request. */
export interface HmbOpenQueueAck {
  /** The absolute seq the subscription starts at, or `null` when the queue was refused. */
  readonly seq: number | null;
  /** Why the queue was refused (e.g. `queue not found`), or `null`. */
  readonly error: string | null;
}

/** The answer to /open. */
export interface HmbOpenAck {
  /** The session id: 16 URL-safe base64 characters. */
  readonly sid: string;
  /** The client id the session uses (the requested one, or one the server made up). */
  readonly cid: string;
  /** One entry per requested queue. */
  readonly queue: Readonly<Record<string, HmbOpenQueueAck>>;
}

/**
 * What a subscription asks for (`HmbClient.subscribe`, `events`, `recvAll`): /open parameters with
 * at least one queue.
 */
export interface HmbSubscribeParams extends HmbOpenParams {
  readonly queue: Readonly<Record<string, HmbQueueParams>>;
}
