import type { HmbCursorStore, HmbPositions } from './cursor-store';

/**
 * Keeps positions in memory: survives resubscribing within one process, not a restart. Useful in
 * tests and to share a position between successive subscriptions.
 *
 * @example
 * ```ts
 * const store = new MemoryCursorStore();
 * client.subscribe(params, { cursor: { store, key: 'alerts' } });
 * ```
 */
export class MemoryCursorStore implements HmbCursorStore {
  private readonly entries = new Map<string, HmbPositions>();

  async load(key: string): Promise<HmbPositions | undefined> {
    const positions = this.entries.get(key);
    return positions === undefined ? undefined : { ...positions };
  }

  async save(key: string, positions: HmbPositions): Promise<void> {
    this.entries.set(key, { ...positions });
  }
}
