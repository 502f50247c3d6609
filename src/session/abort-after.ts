/** A signal that aborts with the parent, or by itself after a delay; `clear()` releases both hooks. */
export interface TimedSignal {
  readonly signal: AbortSignal;
  clear(): void;
}

/**
 * Derives a signal from `parent` that also aborts after `ms` with the reason `onTimeout()` builds.
 * `ms <= 0` or `Infinity` means no timeout. Always call `clear()` when the request is over, so no
 * timer or listener outlives it.
 */
export function abortAfter(parent: AbortSignal, ms: number, onTimeout: () => unknown): TimedSignal {
  const controller = new AbortController();
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { signal: controller.signal, clear: () => undefined };
  }
  const onParentAbort = (): void => controller.abort(parent.reason);
  parent.addEventListener('abort', onParentAbort, { once: true });
  const timer =
    ms > 0 && Number.isFinite(ms) ? setTimeout(() => controller.abort(onTimeout()), ms) : undefined;
  return {
    signal: controller.signal,
    clear: () => {
      if (timer !== undefined) clearTimeout(timer);
      parent.removeEventListener('abort', onParentAbort);
    },
  };
}
