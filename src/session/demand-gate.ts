/**
 * Flow control of one subscription: after each batch the receive attempt asks the consumer's
 * `demand` (see `HmbSubscribeOptions.demand`) whether to read on, and waits while it says no.
 * The watchdog asks {@link DemandGate.waiting} so that this wait is not taken for a dead link.
 */
export class DemandGate {
  private waitingNow = false;

  /** @param demand - the consumer's `demand`; without one, the gate never waits. */
  constructor(private readonly demand?: () => void | PromiseLike<void>) {}

  /** Whether the subscription is waiting for its consumer now. */
  get waiting(): boolean {
    return this.waitingNow;
  }

  /**
   * Asks the consumer; returns what to wait for before reading on, or `undefined` to read on at
   * once (no await, so a subscription without flow control costs nothing here).
   */
  ask(): Promise<void> | undefined {
    const pending = this.demand?.();
    if (pending === undefined) return undefined;
    this.waitingNow = true;
    return this.waitFor(pending);
  }

  private async waitFor(pending: void | PromiseLike<void>): Promise<void> {
    try {
      await pending;
    } finally {
      this.waitingNow = false;
    }
  }
}
