import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { BusStorage } from '../bus-storage';
import type { HmbServerLogger } from '../log-event';
import { Queue } from '../queue';
import type { StoredMessage } from '../stored-message';
import { safeFileName } from './file-names';
import { decodeMessageRecord, messageRecord, queueNameRecord, RecordKind } from './message-record';
import { QueueLog } from './queue-log';
import { RECORD_HEADER_BYTES, scanRecords } from './record-framing';

/** The file in each bus directory that holds the bus's real name. */
const BUS_NAME_FILE = 'bus-name';
const LOG_SUFFIX = '.log';
/** Compaction keeps the log under about this many times `queueLimit` records. */
const COMPACT_FACTOR = 2;
/** Small queues are not compacted below this many records (not worth a rewrite). */
const COMPACT_MIN_RECORDS = 1_024;

/** Settings of a {@link PersistStore}. */
export interface PersistOptions {
  readonly queueLimit: number;
  readonly fsyncIntervalMs: number;
  /** fsync before a /send is acknowledged, not only on the timer. */
  readonly fsyncOnSend: boolean;
  readonly logger: HmbServerLogger;
}

/** A bus as found on disk at start. */
export interface LoadedBus {
  readonly name: string;
  readonly queues: Queue[];
}

/**
 * The message store under `persistDir`: one directory per bus, one append-only log per queue
 * (ANNOUNCEMENT included). At start every log is read, a torn or corrupt tail is cut off, and the
 * last `queueLimit` messages per queue are loaded. A /send is acknowledged only after
 * {@link commit}: its records are written to the files (one write for all the sends waiting at
 * that moment). Logs are fsynced on a timer, at close, and, with `fsyncOnSend`, in every commit;
 * they are compacted when they hold far more records than `queueLimit`.
 */
export class PersistStore {
  private readonly logs = new Set<QueueLog>();
  /** Logs with records not yet written, or a write still running. */
  private readonly unsettled = new Set<QueueLog>();
  /**
   * Logs written but not yet fsynced: the timer flushes only these, not every log ever opened.
   * A log is added by its write and taken out when the timer's flush starts (a write after that
   * adds it again).
   */
  private readonly unsynced = new Set<QueueLog>();
  private readonly loaded: LoadedBus[] = [];
  /** The fsync timer; none with `fsyncOnSend`, where every commit fsyncs. */
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly busDirs = new Map<string, string>();

  private constructor(
    private readonly root: string,
    private readonly options: PersistOptions,
  ) {
    if (!options.fsyncOnSend) {
      this.timer = setInterval(() => void this.flushUnsynced(), options.fsyncIntervalMs);
      this.timer.unref();
    }
  }

  /** Opens (creating it if needed) and loads the store. */
  static async open(root: string, options: PersistOptions): Promise<PersistStore> {
    mkdirSync(root, { recursive: true });
    const store = new PersistStore(root, options);
    try {
      store.load();
    } catch (err) {
      clearInterval(store.timer);
      throw err;
    }
    return store;
  }

  /** The buses found at start, with their queues filled. */
  loadedBuses(): readonly LoadedBus[] {
    return this.loaded;
  }

  private load(): void {
    for (const entry of readdirSync(this.root, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = join(this.root, entry.name);
      const busName = this.busNameOf(dir, entry.name);
      if (busName === undefined) continue;
      this.busDirs.set(busName, dir);
      const queues: Queue[] = [];
      for (const file of readdirSync(dir, { withFileTypes: true })) {
        if (!file.name.endsWith(LOG_SUFFIX)) continue;
        const path = join(dir, file.name);
        if (!file.isFile()) {
          // Not ours (a directory named like a log, say): leave it alone, it must not stop the bus.
          this.options.logger({
            type: 'storage-skipped',
            file: path,
            reason: 'not a regular file',
          });
          continue;
        }
        const queue = this.loadQueue(busName, path);
        if (queue !== undefined) queues.push(queue);
      }
      this.loaded.push({ name: busName, queues });
    }
  }

  /**
   * The bus name of a bus directory, from its `bus-name` file. When that file is missing (a crash
   * between creating the directory and writing it, or a hand edit), a plain directory name gives
   * the name back and the file is written again; a hashed one cannot, so the directory is moved
   * aside: appending new records to its old logs would leave a header in the middle of a log,
   * where the next start would cut everything after it.
   */
  private busNameOf(dir: string, dirName: string): string | undefined {
    const nameFile = join(dir, BUS_NAME_FILE);
    if (existsSync(nameFile)) return readFileSync(nameFile, 'utf8');
    const plain = /^x-((?:[0-9a-f]{2})+)$/.exec(dirName);
    const decoded = plain === null ? undefined : Buffer.from(plain[1]!, 'hex').toString('utf8');
    if (decoded !== undefined && safeFileName(decoded) === dirName) {
      writeFileSync(nameFile, decoded, { flush: true });
      this.options.logger({
        type: 'storage-recovered',
        file: nameFile,
        droppedBytes: 0,
        reason: 'bus-name file missing: restored from the directory name',
      });
      return decoded;
    }
    this.moveAside(dir, 'bus-name file missing and the directory name does not give the bus name');
    return undefined;
  }

  /** Renames a file or directory that cannot be used out of the way, keeping its data. */
  private moveAside(path: string, reason: string): void {
    const aside = `${path}.orphaned-${Date.now()}`;
    renameSync(path, aside);
    this.options.logger({
      type: 'storage-skipped',
      file: path,
      reason: `${reason}; moved to ${aside}`,
    });
  }

  private loadQueue(bus: string, path: string): Queue | undefined {
    const data = readFileSync(path);
    const scan = scanRecords(data);
    let good = scan.payloads.length;
    let goodBytes = scan.goodBytes;
    let problem = scan.problem;
    const header = scan.payloads[0];
    if (header === undefined || header[0] !== RecordKind.QueueName) {
      this.truncate(path, data.length, 0, problem ?? 'missing header');
      return undefined;
    }
    const queue = new Queue(header.subarray(1).toString('utf8'), this.options.queueLimit);
    let offset = RECORD_HEADER_BYTES + header.length;
    for (let i = 1; i < scan.payloads.length; i++) {
      const payload = scan.payloads[i]!;
      try {
        if (payload[0] !== RecordKind.Message) throw new Error('unknown record kind');
        queue.put(decodeMessageRecord(queue.name, payload.subarray(1)));
      } catch (err) {
        // A record that frames and checksums fine but does not decode: stop there as well.
        good = i;
        goodBytes = offset;
        problem = err instanceof Error ? err.message : String(err);
        break;
      }
      offset += RECORD_HEADER_BYTES + payload.length;
    }
    if (problem !== undefined) this.truncate(path, data.length, goodBytes, problem);
    const log = this.newLog(path, good);
    this.queueLogs(bus).set(queue.name, log);
    this.options.logger({ type: 'storage-loaded', bus, queue: queue.name, messages: queue.size });
    return queue;
  }

  private truncate(path: string, size: number, bytes: number, reason: string): void {
    truncateSync(path, bytes);
    this.options.logger({
      type: 'storage-recovered',
      file: path,
      droppedBytes: size - bytes,
      reason,
    });
  }

  private readonly logsByBus = new Map<string, Map<string, QueueLog>>();

  private queueLogs(bus: string): Map<string, QueueLog> {
    let map = this.logsByBus.get(bus);
    if (map === undefined) this.logsByBus.set(bus, (map = new Map()));
    return map;
  }

  private busDir(bus: string): string {
    let dir = this.busDirs.get(bus);
    if (dir === undefined) {
      dir = join(this.root, safeFileName(bus));
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, BUS_NAME_FILE), bus, { flush: true });
      this.busDirs.set(bus, dir);
    }
    return dir;
  }

  private logFor(bus: string, queue: Queue): QueueLog {
    const logs = this.queueLogs(bus);
    let log = logs.get(queue.name);
    if (log === undefined) {
      const path = join(this.busDir(bus), `${safeFileName(queue.name)}${LOG_SUFFIX}`);
      // A file there that was not loaded is not this queue's log: a new log never appends to it.
      if ((statSync(path, { throwIfNoEntry: false })?.size ?? 0) > 0)
        this.moveAside(path, 'a log that was not loaded at start');
      log = this.newLog(path, 0);
      log.append(queueNameRecord(queue.name));
      this.unsettled.add(log);
      logs.set(queue.name, log);
    }
    return log;
  }

  private newLog(path: string, records: number): QueueLog {
    const log = new QueueLog(
      path,
      records,
      (message, cause) => this.options.logger({ type: 'storage-error', message, cause }),
      this.options.fsyncOnSend,
      (unsynced) => this.unsynced.add(unsynced),
    );
    this.logs.add(log);
    return log;
  }

  /** The storage hooks of one bus. */
  busStorage(bus: string): BusStorage {
    return {
      queueCreated: (queue: Queue) => void this.logFor(bus, queue),
      stored: (queue: Queue, msg: StoredMessage) => this.stored(bus, queue, msg),
    };
  }

  private stored(bus: string, queue: Queue, msg: StoredMessage): void {
    const log = this.logFor(bus, queue);
    log.append(messageRecord(msg));
    this.unsettled.add(log);
    const limit = Math.max(COMPACT_FACTOR * this.options.queueLimit, COMPACT_MIN_RECORDS);
    if (log.records > limit && !log.compacting) {
      void log
        .compact(() => [queueNameRecord(queue.name), ...[...queue.held()].map(messageRecord)])
        .then(() =>
          this.options.logger({ type: 'storage-compacted', file: log.path, records: log.records }),
        );
    }
  }

  /**
   * Resolves once every record stored so far is written to its file (and fsynced, with
   * `fsyncOnSend`); rejects when a write failed. Sends waiting at the same time share the writes.
   */
  async commit(): Promise<void> {
    const logs = [...this.unsettled];
    // Wait for every log, not only until the first failure: a log left in `unsettled` after its
    // write failed keeps answering with that failure, so every later commit (other buses too)
    // rejected until its queue was appended to again.
    const results = await Promise.allSettled(logs.map((log) => log.written()));
    for (const log of logs) if (log.settled) this.unsettled.delete(log);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
  }

  private async flushUnsynced(): Promise<void> {
    const logs = [...this.unsynced];
    this.unsynced.clear();
    await Promise.all(logs.map((log) => log.flush()));
  }

  /** Stops the timer, writes and fsyncs everything, closes the files. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.logs].map((log) => log.close()));
  }
}
