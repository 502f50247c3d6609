import type { MonoTypeOperatorFunction, SchedulerLike } from 'rxjs';
import { HmbTimeoutError } from '../errors/timeout-error';
import { watchdog } from '../session/watchdog';
import type { HmbSubscribeParams } from '../protocol/open-params';
import { DEFAULT_WATCHDOG_GRACE_MS, type HmbSubscribeOptions } from './client-options';

/**
 * How long a subscription may hear nothing before its link counts as dead, in ms: 1.5 heartbeat
 * intervals and a grace (docs/protocol.md, "What the client does": watchdog), or `readTimeoutMs`
 * without heartbeats; 0 for no limit.
 */
export function silenceLimitMs(params: HmbSubscribeParams, options: HmbSubscribeOptions): number {
  const heartbeatSec = params.heartbeat ?? 0;
  return heartbeatSec > 0
    ? heartbeatSec * 1500 + DEFAULT_WATCHDOG_GRACE_MS
    : (options.readTimeoutMs ?? 0);
}

/**
 * The watchdog part of a subscription: fails the attempt with an `HmbTimeoutError` after
 * `silenceMs` of silence (the retry part then reopens), except while `isWaiting()` says the
 * consumer asked the subscription to wait.
 */
export function deadLinkWatchdog<T>(
  silenceMs: number,
  busUrl: string,
  isWaiting: () => boolean,
  scheduler?: SchedulerLike,
): MonoTypeOperatorFunction<T> {
  return watchdog<T>(
    silenceMs,
    () =>
      new HmbTimeoutError(`nothing received for ${silenceMs} ms (dead link?): ${busUrl}`, {
        bus: busUrl,
      }),
    scheduler,
    isWaiting,
  );
}
