import { VirtualTimeScheduler } from 'rxjs';

/**
 * Virtual time for code that also does real I/O (a sink talking to a real bus): waits scheduled on
 * {@link VirtualClock.scheduler} pass only when the test moves the clock, while sockets and
 * servers run in real time.
 */
export class VirtualClock {
  readonly scheduler = new VirtualTimeScheduler();

  /** Virtual ms since the clock was made. */
  get now(): number {
    return this.scheduler.now();
  }

  /** Whether some code waits on the clock right now. */
  get waiting(): boolean {
    return this.scheduler.actions.length > 0;
  }

  /** Moves the clock `ms` ahead, running every wait due by then in order. */
  advance(ms: number): void {
    const target = this.scheduler.frame + ms;
    this.scheduler.maxFrames = target;
    try {
      this.scheduler.flush();
    } finally {
      this.scheduler.maxFrames = Infinity;
    }
    this.scheduler.frame = target;
  }

  /**
   * Settles with `until`; meanwhile, whenever the code under test waits on the clock, moves the
   * clock to the end of that wait at once: the waits take no real time, the I/O between them does.
   */
  async skipWaits<T>(until: Promise<T>): Promise<T> {
    let settled = false;
    until.then(
      () => (settled = true),
      () => (settled = true),
    );
    while (!settled) {
      // Real time first: what the code does at once (a pump, a request) comes before any wait.
      await new Promise((resolve) => setTimeout(resolve, 1));
      const next = this.scheduler.actions[0];
      if (next !== undefined && !settled) this.advance(next.delay - this.scheduler.frame);
    }
    return until;
  }
}

/** Resolves once `check()` holds, looking every few real ms; fails after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
