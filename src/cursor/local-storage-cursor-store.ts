import { validPositions, type HmbCursorStore, type HmbPositions } from './cursor-store';

/** The part of the Web Storage API the store uses (so tests can pass their own). */
export interface HmbWebStorage {
  /** The stored string, or `null` when there is none. */
  getItem(key: string): string | null;
  /** Stores a string under a key (may throw when the storage is full). */
  setItem(key: string, value: string): void;
}

/**
 * Keeps positions in the browser's `localStorage` (or any Web Storage), as JSON under
 * `prefix + key`, so a dashboard that reloads resumes where it stopped.
 *
 * @example
 * ```ts
 * client.subscribe(params, { cursor: { store: new LocalStorageCursorStore(), key: 'alerts' } });
 * ```
 */
export class LocalStorageCursorStore implements HmbCursorStore {
  constructor(
    private readonly storage: HmbWebStorage = globalThis.localStorage,
    private readonly prefix = 'hmb-rx:cursor:',
  ) {}

  async load(key: string): Promise<HmbPositions | undefined> {
    const text = this.storage.getItem(this.prefix + key);
    if (text === null) return undefined;
    try {
      return validPositions(JSON.parse(text));
    } catch {
      // A corrupt entry is as good as none: start from the subscription's own parameters.
      return undefined;
    }
  }

  async save(key: string, positions: HmbPositions): Promise<void> {
    this.storage.setItem(this.prefix + key, JSON.stringify(positions));
  }
}
