import type { Observable, Subscription } from 'rxjs';
import type { HmbMessage } from '../../src/protocol/message';

/** A deterministic PRNG (mulberry32), so fault plans are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Messages received so far, and a way to wait for a count. */
export interface Collector {
  readonly messages: HmbMessage[];
  readonly subscription: Subscription;
  readonly error: () => unknown;
  /** Resolves once `count` messages have arrived; rejects on error or after `timeoutMs`. */
  until(count: number, timeoutMs?: number): Promise<void>;
}

/** Subscribes and collects messages. */
export function collect(source: Observable<HmbMessage>): Collector {
  const messages: HmbMessage[] = [];
  let failure: unknown;
  const waiters: { count: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  const check = (): void => {
    for (const w of [...waiters]) {
      if (failure !== undefined) w.reject(failure);
      else if (messages.length >= w.count) w.resolve();
      else continue;
      waiters.splice(waiters.indexOf(w), 1);
    }
  };
  const subscription = source.subscribe({
    next: (m) => {
      messages.push(m);
      check();
    },
    error: (e: unknown) => {
      failure = e;
      check();
    },
  });
  return {
    messages,
    subscription,
    error: () => failure,
    until: (count, timeoutMs = 20_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(`timeout: ${messages.length} of ${count} messages after ${timeoutMs} ms`),
            ),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => (clearTimeout(timer), resolve()),
          reject: (e) => (clearTimeout(timer), reject(e)),
        });
        check();
      }),
  };
}

/**
 * Asserts that the messages are exactly `expected[queue]` messages per queue, seq 0..n-1 (or the
 * given seqs), each once and in order.
 */
export function expectExactlyOnceInOrder(
  messages: readonly HmbMessage[],
  expected: Record<string, number[]>,
): void {
  const byQueue: Record<string, number[]> = {};
  for (const m of messages) (byQueue[m.queue] ??= []).push(m.seq);
  expect(byQueue).toEqual(expected);
}

/** `[from, from+1, …, to-1]` */
export function seqs(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/** Sleeps. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
