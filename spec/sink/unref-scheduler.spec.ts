import { asyncScheduler, timer } from 'rxjs';
import { unrefScheduler } from '../../src/sink/unref-scheduler';

/** Timers that keep the process alive right now. */
const refTimers = (): number =>
  process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('sink: unrefScheduler (the keep-alive default)', () => {
  it('sink: its timers do not keep the process alive (asyncScheduler ones do), and are released on unsubscribe', () => {
    const before = refTimers();
    const idle = unrefScheduler.schedule(() => undefined, 60_000);
    expect(refTimers()).toBe(before);
    const busy = asyncScheduler.schedule(() => undefined, 60_000);
    expect(refTimers()).toBe(before + 1);
    busy.unsubscribe();
    idle.unsubscribe();
    expect(idle.closed).toBe(true);
    expect(refTimers()).toBe(before);
  });

  it('sink: work runs once after its delay, can reschedule itself, and runs no more once unsubscribed', async () => {
    const runs: number[] = [];
    const action = unrefScheduler.schedule<number>(
      function (n = 0) {
        runs.push(n);
        if (n < 2) this.schedule(n + 1, 5);
      },
      5,
      0,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(runs).toEqual([0, 1, 2]);
    const late: number[] = [];
    const cancelled = unrefScheduler.schedule(() => late.push(1), 10);
    cancelled.unsubscribe();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(late).toEqual([]);
    action.unsubscribe();
    // RxJS's own operators run on it too.
    const at = Date.now();
    await new Promise<void>((resolve) => timer(20, unrefScheduler).subscribe(() => resolve()));
    expect(Date.now() - at).toBeGreaterThanOrEqual(15);
  });
});
