import { Subscription, type SchedulerAction, type SchedulerLike } from 'rxjs';

/** One piece of work on {@link unrefScheduler}: a timer that can be moved or cancelled. */
class UnrefAction<T> extends Subscription implements SchedulerAction<T> {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly work: (this: SchedulerAction<T>, state?: T) => void) {
    super();
    this.add(() => clearTimeout(this.timer));
  }

  schedule(state?: T, delay = 0): Subscription {
    if (this.closed) return this;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.work.call(this, state);
    }, delay);
    // Browsers return a number; Node a Timeout that can let the process exit without it.
    (this.timer as { unref?: () => void }).unref?.();
    return this;
  }
}

/**
 * The async scheduler's timing on timers that do not keep a Node process alive: for waits that
 * matter only while something else keeps the process running. An idle sink's keep-alive is one:
 * a program that made a sink and has nothing else to do must be able to exit.
 */
export const unrefScheduler: SchedulerLike = {
  now: () => Date.now(),
  schedule<T>(
    work: (this: SchedulerAction<T>, state?: T) => void,
    delay = 0,
    state?: T,
  ): Subscription {
    return new UnrefAction(work).schedule(state, delay);
  },
};
