import { TestScheduler } from 'rxjs/testing';
import { CursorPersistence, type HmbPositionHolder } from '../../src/cursor/cursor-persistence';
import type { HmbCursorStore, HmbPositions } from '../../src/cursor/cursor-store';

/** A store that records every save with the virtual time it happened at. */
class RecordingStore implements HmbCursorStore {
  readonly saves: { at: number; positions: HmbPositions }[] = [];
  constructor(
    private readonly now: () => number,
    private readonly saved?: HmbPositions,
  ) {}
  async load(): Promise<HmbPositions | undefined> {
    return this.saved;
  }
  async save(_key: string, positions: HmbPositions): Promise<void> {
    this.saves.push({ at: this.now(), positions: { ...positions } });
  }
}

/** A cursor reduced to its position: the next seq of queue Q. */
function holder(next: number): HmbPositionHolder & { next: number } {
  return {
    next,
    resume(positions) {
      this.next = positions['Q'] ?? this.next;
    },
    positions() {
      return { Q: this.next };
    },
  };
}

describe('cursor persistence', () => {
  it('cursor persistence: saves at most once per interval after deliveries, and never when nothing was delivered', () => {
    const ts = new TestScheduler((a, e) => expect(a).toEqual(e));
    ts.run(({ flush }) => {
      const store = new RecordingStore(() => ts.now());
      const cursor = holder(0);
      const persistence = new CursorPersistence(
        { store, key: 'k', saveIntervalMs: 100 },
        cursor,
        ts,
      );
      // 5 deliveries in the first 40 ms, one at 150 ms, none after.
      for (const at of [0, 10, 20, 30, 40, 150]) {
        ts.schedule(() => {
          cursor.next++;
          persistence.delivered();
        }, at);
      }
      flush();
      expect(store.saves).toEqual([
        { at: 100, positions: { Q: 5 } },
        { at: 250, positions: { Q: 6 } },
      ]);
    });
  });

  it('cursor persistence: flush saves what is pending at once and cancels the timer; a second flush saves nothing', () => {
    const ts = new TestScheduler((a, e) => expect(a).toEqual(e));
    ts.run(({ flush }) => {
      const store = new RecordingStore(() => ts.now());
      const cursor = holder(7);
      const persistence = new CursorPersistence({ store, key: 'k' }, cursor, ts);
      ts.schedule(() => persistence.delivered(), 5);
      ts.schedule(() => persistence.flush(), 20);
      ts.schedule(() => persistence.flush(), 30);
      flush();
      expect(store.saves).toEqual([{ at: 20, positions: { Q: 7 } }]);
    });
  });

  it('cursor persistence: loads once into the cursor, and a failing store goes to onError', async () => {
    const cursor = holder(0);
    const persistence = new CursorPersistence(
      { store: new RecordingStore(() => 0, { Q: 42 }), key: 'k' },
      cursor,
    );
    await Promise.all([persistence.load(), persistence.load()]);
    expect(cursor.next).toBe(42);

    const errors: unknown[] = [];
    const broken: HmbCursorStore = {
      load: () => Promise.reject(new Error('disk gone')),
      save: () => Promise.reject(new Error('disk full')),
    };
    const failing = new CursorPersistence(
      { store: broken, key: 'k', onError: (e) => errors.push(e) },
      holder(3),
    );
    await failing.load();
    failing.delivered();
    failing.flush();
    await new Promise((r) => setImmediate(r));
    expect(errors.map((e) => (e as Error).message)).toEqual(['disk gone', 'disk full']);
  });
});
