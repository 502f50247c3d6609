import { Bus } from './bus';
import type { ResolvedServerOptions } from './options';
import type { PersistStore } from './persistence/persist-store';

/** A request waiting on a session (/recv or /stream) that shutdown must answer. */
export interface LongPoll {
  shutdown(): void;
}

/**
 * The server's state apart from HTTP: options, buses, the requests waiting on sessions and the
 * storage. Handlers reach everything through it.
 */
export class HmbServerCore {
  readonly buses = new Map<string, Bus>();
  readonly longPolls = new Set<LongPoll>();
  closing = false;

  constructor(
    readonly options: ResolvedServerOptions,
    readonly storage: PersistStore | undefined,
  ) {}

  /**
   * The bus with this name, created (with its ANNOUNCEMENT queue) on first mention, as in the
   * original; `undefined` when it does not exist and `maxBuses` buses that hold something exist.
   */
  bus(name: string): Bus | undefined {
    const existing = this.buses.get(name);
    if (existing !== undefined) {
      // Map order is use order: the first entries are the least recently used.
      this.buses.delete(name);
      this.buses.set(name, existing);
      return existing;
    }
    if (this.buses.size >= this.options.maxBuses && !this.freeEmptyBus()) return undefined;
    const bus = this.createBus(name);
    this.options.logger({ type: 'bus-created', bus: name });
    return bus;
  }

  /** Creates a bus (also used when loading buses from storage). */
  createBus(name: string): Bus {
    const o = this.options;
    const bus = new Bus(name, {
      queueLimit: o.queueLimit,
      maxQueues: o.maxQueuesPerBus,
      sessionTimeoutMs: o.sessionTimeoutMs,
      sweepIntervalMs: o.sweepIntervalMs,
      maxSessionsPerIp: o.maxSessionsPerIp,
      logger: o.logger,
    });
    if (this.storage !== undefined) bus.storage = this.storage.busStorage(name);
    this.buses.set(name, bus);
    return bus;
  }

  /**
   * Frees the least recently used bus that holds nothing: no session and no message (every
   * request naming a bus creates it, so without this a client naming 1,000 buses once would
   * block every new bus until a restart). Such a bus comes back the same on its next mention.
   */
  private freeEmptyBus(): boolean {
    for (const bus of this.buses.values()) {
      if (!bus.isEmpty()) continue;
      bus.close();
      this.buses.delete(bus.name);
      this.options.logger({ type: 'bus-freed', bus: bus.name });
      return true;
    }
    return false;
  }

  /** Answers every waiting /recv and ends every /stream (shutdown). */
  shutdownLongPolls(): void {
    for (const poll of [...this.longPolls]) poll.shutdown();
  }

  /** Stops every bus's timers. */
  closeBuses(): void {
    for (const bus of this.buses.values()) bus.close();
  }
}
