/** Next seq per queue: where a subscription resumes. */
export type HmbPositions = Readonly<Record<string, number>>;

/**
 * Where a subscription keeps its position (the next seq of every queue), so that a process that
 * restarts resumes where it stopped, for as long as the server still holds the messages.
 * Implementations: `MemoryCursorStore`, `LocalStorageCursorStore` (browsers) and `FileCursorStore`
 * (Node, from `hmb-rx` in Node); or your own (a database row, Redis …).
 *
 * Positions are saved after messages have been handed to your subscriber, a few times a second at
 * most and when the subscription ends: after a crash, at most the messages of the last interval
 * are delivered again (at least once across restarts; within one process, exactly once).
 */
export interface HmbCursorStore {
  /** The positions saved under `key`, or `undefined` if none. */
  load(key: string): Promise<HmbPositions | undefined>;
  /** Saves the positions under `key`, replacing what was there. */
  save(key: string, positions: HmbPositions): Promise<void>;
}

/** Checks what a store returned: an object of non-negative integer seqs. */
export function validPositions(value: unknown): HmbPositions | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const out: Record<string, number> = {};
  for (const [queue, seq] of Object.entries(value)) {
    if (typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0) out[queue] = seq;
  }
  return out;
}
