/** The EventEmitter shape undici accepts as a request's `signal`, besides an AbortSignal. */
export interface HmbAbortRelay {
  readonly aborted: boolean;
  readonly reason: unknown;
  on(event: 'abort', listener: () => void): this;
  once(event: 'abort', listener: () => void): this;
  removeListener(event: 'abort', listener: () => void): this;
}

/**
 * Stands in for one AbortSignal towards undici: every request made under the signal adds its abort
 * listener here, to a plain Set, and the signal itself gets a single listener for all of them.
 *
 * Why: undici adds a listener to a request's signal and removes it when the response is over, and
 * `addEventListener` / `removeEventListener` on a Node AbortSignal cost about 5 µs per request
 * (bench/send.ts, "single": a one-message /send takes 70–100 µs of CPU in all). hmb-rx makes most
 * requests under long-lived signals (the client's, a sink's, a subscription's), so the listener is
 * added once per signal instead of once per request. undici takes anything with `on` /
 * `once` / `removeListener` and `aborted` / `reason` (its `util.addAbortListener`).
 */
class AbortRelay implements HmbAbortRelay {
  private readonly listeners = new Set<() => void>();

  constructor(private readonly signal: AbortSignal) {
    signal.addEventListener('abort', () => this.fire(), { once: true });
  }

  get aborted(): boolean {
    return this.signal.aborted;
  }

  get reason(): unknown {
    return this.signal.reason;
  }

  on(_event: 'abort', listener: () => void): this {
    this.listeners.add(listener);
    return this;
  }

  once(event: 'abort', listener: () => void): this {
    // The signal aborts once: every listener is called at most once anyway.
    return this.on(event, listener);
  }

  removeListener(_event: 'abort', listener: () => void): this {
    this.listeners.delete(listener);
    return this;
  }

  private fire(): void {
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const listener of listeners) listener();
  }
}

/** Held as long as its signal is: the signal's own listener keeps the relay alive, not the map. */
const relays = new WeakMap<AbortSignal, AbortRelay>();

/** The relay of `signal` (made on first use), to give undici in its place. */
export function abortRelayOf(signal: AbortSignal): HmbAbortRelay {
  let relay = relays.get(signal);
  if (relay === undefined) relays.set(signal, (relay = new AbortRelay(signal)));
  return relay;
}
