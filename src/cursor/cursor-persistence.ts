import { asyncScheduler, type SchedulerLike, type Subscription } from 'rxjs';
import { DEFAULT_CURSOR_SAVE_INTERVAL_MS, type HmbCursorOptions } from '../client/client-options';
import type { HmbPositions } from './cursor-store';

/** What persistence needs of a subscription's cursor: its positions, and a way to set them. */
export interface HmbPositionHolder {
  /** Resumes from saved positions (before the first /open). */
  resume(positions: HmbPositions): void;
  /** The next seq of every queue whose position is known. */
  positions(): Record<string, number>;
}

/**
 * Keeps one subscription's position in its cursor store: loads it once before the first /open,
 * and saves it at most every `saveIntervalMs` after messages were delivered, and when the
 * subscription ends ({@link CursorPersistence.flush}). The wait between saves runs on an RxJS
 * scheduler, so a test can drive it in virtual time. Store failures go to `onError`; the
 * subscription goes on from its own parameters.
 */
export class CursorPersistence {
  private loaded: Promise<void> | undefined;
  private dirty = false;
  private pending: Subscription | undefined;

  constructor(
    private readonly options: HmbCursorOptions,
    private readonly cursor: HmbPositionHolder,
    private readonly scheduler: SchedulerLike = asyncScheduler,
  ) {}

  /** Loads the saved positions into the cursor; the first call loads, later ones await the same. */
  load(): Promise<void> {
    this.loaded ??= this.options.store.load(this.options.key).then(
      (positions) => {
        if (positions !== undefined) this.cursor.resume(positions);
      },
      (error: unknown) => this.options.onError?.(error),
    );
    return this.loaded;
  }

  /** A message was delivered: save the new position within the save interval. */
  delivered(): void {
    this.dirty = true;
    this.pending ??= this.scheduler.schedule(
      () => this.flush(),
      this.options.saveIntervalMs ?? DEFAULT_CURSOR_SAVE_INTERVAL_MS,
    );
  }

  /** Saves now if anything was delivered since the last save, and stops the wait for the next one. */
  flush(): void {
    this.pending?.unsubscribe();
    this.pending = undefined;
    if (!this.dirty) return;
    this.dirty = false;
    this.options.store
      .save(this.options.key, this.cursor.positions())
      .catch((error: unknown) => this.options.onError?.(error));
  }
}
