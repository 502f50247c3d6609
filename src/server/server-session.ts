import type { HmbQueueStatus, HmbSessionStatus } from '../protocol/bus-info';
import type { Queue } from './queue';
import type { Subscription } from './subscription';
import { type BurstBuilder, type SessionFormat } from './wire/burst-builder';
import { eofFrame } from './wire/encode-message';
import { goParseInt } from './wire/go-strconv';
import { formatGoTimeMicros, type GoTime } from './wire/go-time';

/** `recv_limit` when 0, negative or missing: 1024 KB (docs/protocol.md §6.9). */
export const DEFAULT_RECV_LIMIT_KB = 1024;

/** The queue and seq of the last real message written to a session (the continuity position). */
export interface SessionPosition {
  readonly queue: string;
  readonly seq: number;
}

/** What {@link ServerSession.collect} put into a burst. */
export interface CollectResult {
  /** EOF was added: every queue of the session has ended. */
  readonly eof: boolean;
  /** The byte limit stopped collection: more may be ready at once. */
  readonly limitReached: boolean;
  /** When an out-of-order wait gives up (ms since the epoch), if one is pending. */
  readonly wakeAt: number | undefined;
}

/** Hooks a session uses to be woken when its queues get messages. */
export interface SessionWatcher {
  watch(session: ServerSession): void;
  unwatch(session: ServerSession): void;
}

/** Everything fixed at /open. */
export interface SessionInit {
  readonly sid: string;
  readonly cid: string;
  readonly format: SessionFormat;
  /** As requested (0 when unset); only a positive value gives heartbeats. */
  readonly heartbeat: number;
  /** As requested (0 when unset). */
  readonly recvLimit: number;
  readonly address: string;
  readonly ip: string;
  readonly ctime: GoTime;
  readonly subscriptions: readonly Subscription[];
}

/**
 * A session: its subscriptions, counters, continuity position and the requests waiting on it. A
 * session is *active* while any /send, /recv or /stream on it is in progress; only idle sessions
 * expire or are evicted.
 */
export class ServerSession {
  readonly sid: string;
  readonly cid: string;
  readonly format: SessionFormat;
  readonly heartbeat: number;
  readonly recvLimit: number;
  readonly address: string;
  readonly ip: string;
  readonly ctime: GoTime;
  readonly subscriptions: readonly Subscription[];
  /** Bytes of request bodies received on /send. */
  sent = 0;
  /** Bytes of /recv and /stream bodies written. */
  received = 0;
  position: SessionPosition | undefined;
  lastActiveMs = Date.now();
  private activeRequests = 0;
  private readonly waiters = new Set<() => void>();

  constructor(
    init: SessionInit,
    private readonly watcher: SessionWatcher,
  ) {
    this.sid = init.sid;
    this.cid = init.cid;
    this.format = init.format;
    this.heartbeat = init.heartbeat;
    this.recvLimit = init.recvLimit;
    this.address = init.address;
    this.ip = init.ip;
    this.ctime = init.ctime;
    this.subscriptions = init.subscriptions;
  }

  /** Whether a request on this session is in progress. */
  get active(): boolean {
    return this.activeRequests > 0;
  }

  /** Marks the start of a request on the session. */
  begin(): void {
    this.activeRequests++;
    this.lastActiveMs = Date.now();
  }

  /** Marks the end of a request on the session. */
  end(): void {
    this.activeRequests--;
    this.lastActiveMs = Date.now();
  }

  /** The body limit of one /recv answer, in bytes. */
  recvLimitBytes(): number {
    return (this.recvLimit > 0 ? this.recvLimit : DEFAULT_RECV_LIMIT_KB) * 1024;
  }

  /** The queues this session reads. */
  queues(): Queue[] {
    return this.subscriptions.map((s) => s.queue);
  }

  /**
   * Whether a /recv or /stream path suffix continues where the session stands: it must name the
   * last real message written, and may be absent only before the first one (docs/protocol.md
   * §10.3).
   */
  continues(queue: string | undefined, seq: string | undefined): boolean {
    if (this.position === undefined) return queue === undefined;
    if (queue === undefined || seq === undefined || queue !== this.position.queue) return false;
    const parsed = goParseInt(seq);
    return parsed.ok && parsed.value === BigInt(this.position.seq);
  }

  /**
   * Moves every ready message into `burst`, queue by queue, until `limitBytes` is reached (the
   * message that crosses it included), then adds EOF if every queue has ended and the limit was
   * not reached (so after a full answer EOF comes in an answer of its own, docs/protocol.md §16.6).
   */
  collect(burst: BurstBuilder, limitBytes: number, now = Date.now()): CollectResult {
    let wakeAt: number | undefined;
    const json = this.format === 'JSON';
    for (const sub of this.subscriptions) {
      for (;;) {
        const pulled = sub.pull(this.cid, now);
        if (pulled === undefined) break;
        if (typeof pulled === 'number') {
          wakeAt = wakeAt === undefined ? pulled : Math.min(wakeAt, pulled);
          break;
        }
        burst.add(json ? pulled.json() : pulled.bson());
        this.position = { queue: pulled.queue, seq: pulled.seq };
        if (burst.size >= limitBytes) return { eof: false, limitReached: true, wakeAt };
      }
    }
    if (this.subscriptions.every((s) => s.ended)) {
      burst.add(eofFrame(this.format));
      return { eof: true, limitReached: false, wakeAt };
    }
    return { eof: false, limitReached: false, wakeAt };
  }

  /** Registers a request waiting for messages; returns the function that unregisters it. */
  addWaiter(wake: () => void): () => void {
    if (this.waiters.size === 0) this.watcher.watch(this);
    this.waiters.add(wake);
    return () => {
      // Each request removes only its own hook, so a second request on the session stays awake.
      if (this.waiters.delete(wake) && this.waiters.size === 0) this.watcher.unwatch(this);
    };
  }

  /** Wakes every waiting request (a queue of this session got messages). */
  wake(): void {
    for (const wake of [...this.waiters]) wake();
  }

  /** The session as /status describes it (docs/protocol.md §5). */
  status(): HmbSessionStatus {
    const queue: Record<string, HmbQueueStatus> = {};
    for (const sub of this.subscriptions) {
      Object.defineProperty(queue, sub.queue.name, { value: sub.status(), enumerable: true });
    }
    return {
      cid: this.cid,
      address: this.address,
      ctime: formatGoTimeMicros(this.ctime),
      sent: this.sent,
      received: this.received,
      format: this.format,
      heartbeat: this.heartbeat,
      recv_limit: this.recvLimit,
      queue,
    };
  }
}
