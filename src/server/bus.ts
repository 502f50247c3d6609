import { ANNOUNCEMENT_QUEUE, NEW_QUEUE_TYPE } from '../protocol/message';
import type { BusStorage } from './bus-storage';
import type { HmbServerLogger } from './log-event';
import { Queue } from './queue';
import type { ServerSession, SessionWatcher } from './server-session';
import { StoredMessage, type MessageFields } from './stored-message';

/** What a bus needs from the server's options. */
export interface BusConfig {
  readonly queueLimit: number;
  readonly maxQueues: number;
  readonly sessionTimeoutMs: number;
  readonly sweepIntervalMs: number;
  readonly maxSessionsPerIp: number;
  readonly logger: HmbServerLogger;
}

/** The outcome of {@link Bus.store}. */
export type StoreOutcome = 'stored' | 'too-many-queues';

/** The outcome of {@link Bus.makeRoomFor}. */
export type RoomOutcome = 'ok' | 'full';

/**
 * One bus: its queues, its sessions (with the per-IP cap and the idle sweep, both per bus as in
 * the original) and the wake-ups of requests waiting for messages.
 */
export class Bus implements SessionWatcher {
  readonly queues = new Map<string, Queue>();
  readonly sessions = new Map<string, ServerSession>();
  private readonly byIp = new Map<string, Set<ServerSession>>();
  private readonly watchers = new Map<Queue, Set<ServerSession>>();
  private readonly dirty = new Set<Queue>();
  private notifyHandle: NodeJS.Immediate | undefined;
  private readonly sweepTimer: NodeJS.Timeout;
  storage: BusStorage | undefined;

  constructor(
    readonly name: string,
    private readonly config: BusConfig,
  ) {
    this.queues.set(ANNOUNCEMENT_QUEUE, new Queue(ANNOUNCEMENT_QUEUE, config.queueLimit));
    // The sweep timer starts with the bus, so an idle session dies between t and t + interval.
    this.sweepTimer = setInterval(() => this.sweep(Date.now()), config.sweepIntervalMs);
    this.sweepTimer.unref();
  }

  /** A queue by name, if it exists. */
  queue(name: string): Queue | undefined {
    return this.queues.get(name);
  }

  /**
   * Requests naming this bus that are being handled. An /open still reading its body has no
   * session yet; counting it keeps the bus from being freed under it, which would leave the new
   * session on a bus no later request can reach.
   */
  private requests = 0;

  /** Notes that a request naming this bus is being handled (the router, around each handler). */
  requestStarted(): void {
    this.requests++;
  }

  /** Notes that a request counted by {@link requestStarted} is done. */
  requestEnded(): void {
    this.requests--;
  }

  /**
   * Whether the bus holds nothing: no request in progress, no session, no queue but
   * ANNOUNCEMENT, and that one empty.
   */
  isEmpty(): boolean {
    return (
      this.requests === 0 &&
      this.sessions.size === 0 &&
      this.queues.size === 1 &&
      this.queues.get(ANNOUNCEMENT_QUEUE)?.next === 0
    );
  }

  /** Adds a queue loaded from storage (no announcement: it existed before the restart). */
  restoreQueue(queue: Queue): void {
    this.queues.set(queue.name, queue);
  }

  /**
   * Stores a message at `seq` (or at the queue's next seq), creating the queue on the first send
   * to it and announcing it on ANNOUNCEMENT. Waiting requests are woken once the current batch of
   * work is done, so one /send of many messages wakes a receiver once.
   */
  store(fields: MessageFields, seq: number | undefined): StoreOutcome {
    let queue = this.queues.get(fields.queue);
    if (queue === undefined) {
      if (this.queues.size >= this.config.maxQueues) return 'too-many-queues';
      queue = new Queue(fields.queue, this.config.queueLimit);
      this.queues.set(queue.name, queue);
      this.storage?.queueCreated(queue);
      this.config.logger({ type: 'queue-created', bus: this.name, queue: queue.name });
      this.append(this.queues.get(ANNOUNCEMENT_QUEUE)!, {
        type: NEW_QUEUE_TYPE,
        queue: ANNOUNCEMENT_QUEUE,
        sender: undefined,
        topic: undefined,
        starttime: undefined,
        endtime: undefined,
        scMessageType: undefined,
        scContentType: undefined,
        gdacs: undefined,
        data: { kind: 'json', value: { name: queue.name } },
      });
    }
    this.append(queue, fields, seq);
    return 'stored';
  }

  private append(queue: Queue, fields: MessageFields, seq = queue.next): void {
    const msg = new StoredMessage(seq, fields);
    if (queue.put(msg) === 'too-old') return;
    this.storage?.stored(queue, msg);
    this.dirty.add(queue);
    this.notifyHandle ??= setImmediate(() => this.notify());
  }

  private notify(): void {
    this.notifyHandle = undefined;
    const woken = new Set<ServerSession>();
    for (const queue of this.dirty) {
      for (const session of this.watchers.get(queue) ?? []) woken.add(session);
    }
    this.dirty.clear();
    for (const session of woken) session.wake();
  }

  watch(session: ServerSession): void {
    for (const queue of session.queues()) {
      let set = this.watchers.get(queue);
      if (set === undefined) this.watchers.set(queue, (set = new Set()));
      set.add(session);
    }
  }

  unwatch(session: ServerSession): void {
    for (const queue of session.queues()) {
      const set = this.watchers.get(queue);
      set?.delete(session);
      if (set?.size === 0) this.watchers.delete(queue);
    }
  }

  /**
   * Makes room for one more session from `ip`: at the cap, that IP's longest-idle session is
   * evicted; when all of them are active, there is no room (the 503 of docs/protocol.md §9).
   */
  makeRoomFor(ip: string): RoomOutcome {
    const mine = this.byIp.get(ip);
    if (mine === undefined || mine.size < this.config.maxSessionsPerIp) return 'ok';
    let victim: ServerSession | undefined;
    for (const s of mine) {
      if (!s.active && (victim === undefined || s.lastActiveMs < victim.lastActiveMs)) victim = s;
    }
    if (victim === undefined) return 'full';
    this.removeSession(victim);
    this.config.logger({
      type: 'session-evicted',
      bus: this.name,
      sid: victim.sid,
      cid: victim.cid,
      ip,
    });
    return 'ok';
  }

  addSession(session: ServerSession): void {
    this.sessions.set(session.sid, session);
    let mine = this.byIp.get(session.ip);
    if (mine === undefined) this.byIp.set(session.ip, (mine = new Set()));
    mine.add(session);
  }

  private removeSession(session: ServerSession): void {
    this.sessions.delete(session.sid);
    const mine = this.byIp.get(session.ip);
    mine?.delete(session);
    if (mine?.size === 0) this.byIp.delete(session.ip);
  }

  /** Removes sessions idle for the timeout or longer; active ones (e.g. a blocked /recv) stay. */
  sweep(now: number): void {
    for (const session of [...this.sessions.values()]) {
      const idle = now - session.lastActiveMs;
      if (!session.active && idle >= this.config.sessionTimeoutMs) {
        this.removeSession(session);
        this.config.logger({
          type: 'session-expired',
          bus: this.name,
          sid: session.sid,
          cid: session.cid,
          idleSec: Math.round(idle / 1000),
        });
      }
    }
  }

  /** Stops the bus's timers. */
  close(): void {
    clearInterval(this.sweepTimer);
    if (this.notifyHandle !== undefined) clearImmediate(this.notifyHandle);
    this.notifyHandle = undefined;
  }
}
