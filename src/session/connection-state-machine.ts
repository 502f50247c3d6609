import type { HmbConnectionState } from './connection-state';

/** Where a subscription's connection stands: `idle` before the first /open, else a state's `type`. */
export type HmbConnectionPhase = 'idle' | HmbConnectionState['type'];

/**
 * What happens to a subscription's connection, as the parts that see it report it to the
 * {@link ConnectionStateMachine}: the receive attempt (`opening`, `opened`), the delivery
 * (`progress`: something arrived), the retry (`retrying`) and the end of the subscription
 * (`ended`, `unsubscribed`).
 */
export type HmbConnectionInput =
  | { readonly kind: 'opening' }
  | { readonly kind: 'opened'; readonly sid: string; readonly cid: string }
  | { readonly kind: 'progress' }
  | {
      readonly kind: 'retrying';
      readonly error: unknown;
      /** Failures in a row so far (1 for the first retry). */
      readonly attempt: number;
      readonly delayMs: number;
    }
  | { readonly kind: 'ended'; readonly error?: unknown }
  | { readonly kind: 'unsubscribed' };

/** One row of {@link CONNECTION_TRANSITIONS}. */
export interface HmbConnectionTransition {
  /** The phases the input is taken in from; in any other phase it changes nothing. */
  readonly from: readonly HmbConnectionPhase[];
  /** The states it leads to, told in this order (none: the phase stays). */
  readonly to: readonly HmbConnectionState['type'][];
}

const RUNNING: readonly HmbConnectionPhase[] = ['idle', 'opening', 'open', 'lost', 'resuming'];

/**
 * Every transition of the connection state, in one table. `closed` is final: nothing is told after
 * it. `progress` tells nothing but starts the count of failures in a row again, so the next
 * `opening` says `attempt: 0`; `retrying` sets that count.
 *
 * | input          | from                                  | to                  |
 * | -------------- | ------------------------------------- | ------------------- |
 * | `opening`      | idle, opening, open, lost, resuming   | opening             |
 * | `opened`       | opening                               | open                |
 * | `progress`     | idle, opening, open, lost, resuming   | (stays)             |
 * | `retrying`     | idle, opening, open, lost, resuming   | lost, then resuming |
 * | `ended`        | idle, opening, open, lost, resuming   | closed              |
 * | `unsubscribed` | idle, opening, open, lost, resuming   | closed              |
 */
export const CONNECTION_TRANSITIONS: {
  readonly [K in HmbConnectionInput['kind']]: HmbConnectionTransition;
} = {
  // Also from `opening` and `open`: an attempt opens again at once after an /open that must be
  // repeated, a healed skip, a queue that now exists, or the end of the backlog.
  opening: { from: RUNNING, to: ['opening'] },
  opened: { from: ['opening'], to: ['open'] },
  progress: { from: RUNNING, to: [] },
  // Also from `idle`: the watchdog may fire while the cursor store is still loading.
  retrying: { from: RUNNING, to: ['lost', 'resuming'] },
  ended: { from: RUNNING, to: ['closed'] },
  unsubscribed: { from: RUNNING, to: ['closed'] },
};

/**
 * The one owner of a subscription's connection state: the parts report what happened
 * ({@link HmbConnectionInput}), the machine applies {@link CONNECTION_TRANSITIONS} and tells every
 * new state to `tell`, in order. It also counts the failures in a row that the states carry as
 * `attempt`, so that count travels in no other variable.
 */
export class ConnectionStateMachine {
  private current: HmbConnectionPhase = 'idle';
  private failures = 0;

  /** @param tell - told of every new state (the UI's `onState`, the `events` stream, …). */
  constructor(private readonly tell: (state: HmbConnectionState) => void) {}

  /** The phase the connection is in now. */
  get phase(): HmbConnectionPhase {
    return this.current;
  }

  /** Applies one input; see {@link CONNECTION_TRANSITIONS}. */
  report(input: HmbConnectionInput): void {
    const transition = CONNECTION_TRANSITIONS[input.kind];
    if (!transition.from.includes(this.current)) return;
    if (input.kind === 'progress') this.failures = 0;
    else if (input.kind === 'retrying') this.failures = input.attempt;
    for (const type of transition.to) {
      this.current = type;
      this.tell(this.stateOf(type, input));
    }
  }

  private stateOf(type: HmbConnectionState['type'], input: HmbConnectionInput): HmbConnectionState {
    const attempt = this.failures;
    switch (type) {
      case 'opening':
        return { type, attempt };
      case 'open':
        return input.kind === 'opened'
          ? { type, sid: input.sid, cid: input.cid, attempt }
          : unreachable(input);
      case 'lost':
        return input.kind === 'retrying'
          ? { type, error: input.error, attempt }
          : unreachable(input);
      case 'resuming':
        return input.kind === 'retrying'
          ? { type, error: input.error, attempt, delayMs: input.delayMs }
          : unreachable(input);
      case 'closed':
        return input.kind === 'ended' && 'error' in input ? { type, error: input.error } : { type };
    }
  }
}

/** The input that reports something arrived; shared, as it is reported once per event. */
export const PROGRESS: HmbConnectionInput = { kind: 'progress' };

function unreachable(input: HmbConnectionInput): never {
  throw new Error(`no state of this kind follows the input ${input.kind}`);
}
