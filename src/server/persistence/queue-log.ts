import { open, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { frameRecord } from './record-framing';

/**
 * One queue's append-only log file. Appends are buffered in memory until {@link written} (a /send
 * about to answer 204) writes them with one `writev`; an `fdatasync` follows on the store's timer,
 * at close, or with every write when the store syncs on send. A compaction rewrites the file from
 * a snapshot through a temporary file and an atomic rename. All file work runs in one promise
 * chain per log, so writes never interleave, and a write started while another runs takes
 * everything appended meanwhile: concurrent sends share one write (group commit).
 */
export class QueueLog {
  private pending: Buffer[] = [];
  private handle: FileHandle | undefined;
  private chain: Promise<void> = Promise.resolve();
  /** The last write queued: it covers every record appended before it started. */
  private lastWrite: Promise<void> = Promise.resolve();
  /** A write queued but not started yet, which will take whatever is pending when it runs. */
  private queuedWrite: Promise<void> | undefined;
  /** Written but not yet fsynced. */
  private unsynced = false;
  /** Records in the file once everything pending is written (header included). */
  records: number;

  constructor(
    readonly path: string,
    existingRecords: number,
    private readonly onError: (message: string, cause: unknown) => void,
    private readonly syncEachWrite: boolean,
    /** Told when a write leaves data not yet fsynced, so the store's timer flushes only such logs. */
    private readonly onUnsynced: (log: QueueLog) => void,
  ) {
    this.records = existingRecords;
  }

  /** Queues a record payload for the next write. */
  append(payload: Buffer): void {
    this.pending.push(frameRecord(payload));
    this.records++;
  }

  /** Whether nothing is waiting to be written and no file work is queued or running. */
  get settled(): boolean {
    return this.pending.length === 0 && this.running === 0;
  }
  private running = 0;

  /**
   * Resolves once every record appended so far is in the file (`write` completed, and fsynced
   * too when the store syncs on send); rejects if writing failed.
   */
  written(): Promise<void> {
    if (this.pending.length === 0) return this.lastWrite;
    if (this.queuedWrite !== undefined) return this.queuedWrite;
    const write = this.run(async () => {
      this.queuedWrite = undefined;
      await this.writePending(this.syncEachWrite);
    });
    this.queuedWrite = write;
    this.lastWrite = write;
    return write;
  }

  /** Writes what is pending and fsyncs what is written (the store's timer, and close). */
  flush(): Promise<void> {
    return this.enqueue(() => this.writePending(true));
  }

  private async writePending(sync: boolean): Promise<void> {
    if (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      const handle = await this.open();
      await handle.writev(batch);
      this.unsynced = true;
      // Synced just below otherwise.
      if (!sync) this.onUnsynced(this);
    }
    if (sync && this.unsynced && this.handle !== undefined) {
      this.unsynced = false;
      await this.handle.datasync();
    }
  }

  /** Whether a compaction is queued or running (the store starts one only when none is). */
  get compacting(): boolean {
    return this.compactionQueued;
  }
  private compactionQueued = false;

  /**
   * Replaces the file's content with the record payloads `snapshot()` returns, atomically: a
   * crash leaves either the old file or the new one. The snapshot is taken when the compaction
   * runs, after every write queued before it, and replaces what is pending then (the snapshot
   * holds it); records appended later go to the new file.
   */
  compact(snapshot: () => readonly Buffer[]): Promise<void> {
    this.compactionQueued = true;
    const done = this.run(async () => {
      const framed = snapshot().map(frameRecord);
      this.pending = [];
      this.records = framed.length;
      await this.closeHandle();
      const tmp = `${this.path}.compact`;
      const out = await open(tmp, 'w');
      try {
        await out.writev(framed);
        await out.datasync();
      } finally {
        await out.close();
      }
      await rename(tmp, this.path);
      await syncDir(dirname(this.path));
    }).finally(() => {
      this.compactionQueued = false;
    });
    this.lastWrite = done;
    return done.catch(() => undefined);
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    await this.flush();
    await this.enqueue(() => this.closeHandle());
  }

  private async open(): Promise<FileHandle> {
    if (this.handle === undefined) {
      this.handle = await open(this.path, 'a');
      await syncDir(dirname(this.path));
    }
    return this.handle;
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  /** Runs `op` after everything queued before it; the returned promise rejects if `op` fails. */
  private run(op: () => Promise<void>): Promise<void> {
    this.running++;
    const result = this.chain.then(op).finally(() => {
      this.running--;
    });
    this.chain = result.catch((err: unknown) => {
      this.onError(`writing ${this.path} failed`, err);
    });
    return result;
  }

  private enqueue(op: () => Promise<void>): Promise<void> {
    return this.run(op).catch(() => undefined);
  }
}

/** Makes a directory entry (a new or renamed file) durable. */
async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Some platforms cannot fsync a directory; the data itself is synced.
  } finally {
    await handle?.close();
  }
}
