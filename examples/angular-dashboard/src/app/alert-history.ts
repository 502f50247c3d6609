import type { AlertRow } from './alert';

/** How many alerts the dashboard keeps and shows. */
export const MAX_ROWS = 100;

/** What is kept in Web Storage: the rows on screen and the last seq shown per queue. */
interface StoredHistory {
  readonly rows: readonly AlertRow[];
  readonly lastSeq: Readonly<Record<string, number>>;
}

/**
 * The alerts on screen, newest first, kept in Web Storage so that a reloaded page shows what it
 * showed before; the subscription itself resumes from hmb-rx's `LocalStorageCursorStore`.
 *
 * The two stores are written at different moments, and the order is what makes a reload exact:
 * a row is stored synchronously when its message arrives, while hmb-rx saves the cursor (the next
 * seq) at most every 250 ms after delivering. So the stored rows are never behind the stored
 * cursor: nothing is lost across a reload. They may be ahead of it by the messages of the last
 * interval, which the resumed subscription delivers again; {@link AlertHistory.add} drops those by
 * seq, so nothing is shown twice.
 */
export class AlertHistory {
  private current: StoredHistory;

  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'>,
    private readonly key: string,
    private readonly maxRows = MAX_ROWS,
  ) {
    this.current = restore(storage.getItem(key));
  }

  /** The rows, newest first. */
  get rows(): readonly AlertRow[] {
    return this.current.rows;
  }

  /**
   * Adds the row of a message that just arrived and stores the result.
   *
   * @returns the new rows, or `undefined` when the row was shown already (before a reload).
   */
  add(row: AlertRow): readonly AlertRow[] | undefined {
    const last = this.current.lastSeq[row.queue];
    if (last !== undefined && row.seq <= last) return undefined;
    this.save({
      rows: [row, ...this.current.rows].slice(0, this.maxRows),
      lastSeq: { ...this.current.lastSeq, [row.queue]: row.seq },
    });
    return this.current.rows;
  }

  /**
   * The bus's counter of `queue` went back (it restarted having lost its newest messages): the next seq it
   * delivers is `nextSeq`, and lower seqs than the ones shown are new messages, not repeats.
   */
  resetQueue(queue: string, nextSeq: number): void {
    this.save({ ...this.current, lastSeq: { ...this.current.lastSeq, [queue]: nextSeq - 1 } });
  }

  private save(next: StoredHistory): void {
    this.current = next;
    try {
      this.storage.setItem(this.key, JSON.stringify(next));
    } catch {
      // Storage full or disabled: the page still works, it only forgets its rows on reload.
    }
  }
}

function restore(text: string | null): StoredHistory {
  const empty: StoredHistory = { rows: [], lastSeq: {} };
  if (text === null) return empty;
  try {
    const parsed = JSON.parse(text) as Partial<StoredHistory>;
    if (
      !Array.isArray(parsed.rows) ||
      typeof parsed.lastSeq !== 'object' ||
      parsed.lastSeq === null
    )
      return empty;
    return { rows: parsed.rows, lastSeq: parsed.lastSeq };
  } catch {
    // A corrupt entry is as good as none: the page starts with the bus's latest alerts.
    return empty;
  }
}
