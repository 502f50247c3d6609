import { open, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { frameRecord } from './record-framing';

/**
 * One queue's append-only log file. Appends are buffered in memory and written with one `writev`
 * and an `fdatasync` per flush (on the store's timer and at close); a compaction rewrites the file
 * from a snapshot through a temporary file and an atomic rename. All file work runs in one
 * promise chain per log, so writes never interleave.
 */
export class QueueLog {
  private pending: Buffer[] = [];
  private handle: FileHandle | undefined;
  private chain: Promise<void> = Promise.resolve();
  /** Records in the file once everything pending is written (header included). */
  records: number;

  constructor(
    readonly path: string,
    existingRecords: number,
    private readonly onError: (message: string, cause: unknown) => void,
  ) {
    this.records = existingRecords;
  }

  /** Queues a record payload for the next flush. */
  append(payload: Buffer): void {
    this.pending.push(frameRecord(payload));
    this.records++;
  }

  /** Writes and fsyncs what is pending. */
  flush(): Promise<void> {
    return this.enqueue(async () => {
      if (this.pending.length === 0) return;
      const batch = this.pending;
      this.pending = [];
      const handle = await this.open();
      await handle.writev(batch);
      await handle.datasync();
    });
  }

  /**
   * Replaces the file's content with these record payloads (a snapshot that already includes
   * everything pending), atomically: a crash leaves either the old file or the new one.
   */
  compact(payloads: readonly Buffer[]): Promise<void> {
    this.pending = [];
    this.records = payloads.length;
    const framed = payloads.map(frameRecord);
    return this.enqueue(async () => {
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
    });
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

  private enqueue(op: () => Promise<void>): Promise<void> {
    const run = this.chain.then(op).catch((err: unknown) => {
      this.onError(`writing ${this.path} failed`, err);
    });
    this.chain = run;
    return run;
  }
}

/** Makes a directory entry (a new or renamed file) durable. */
export async function syncDir(dir: string): Promise<void> {
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
