import { TestScheduler } from 'rxjs/testing';
import { HmbBadParamError } from '../../src/errors/bad-param-error';
import { HmbNetworkError } from '../../src/errors/network-error';
import { HmbSessionLimitError } from '../../src/errors/session-limit-error';
import { HmbHttpError } from '../../src/errors/http-error';
import {
  backoffDelayMs,
  retryWithBackoff,
  type HmbRetryInfo,
} from '../../src/session/retry-with-backoff';

const network = new HmbNetworkError('connection reset');

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('operators: retryWithBackoff', () => {
  it('retryWithBackoff: maxAttempts 4 makes exactly 4 attempts, waiting 100, 200, 400 ms (factor 2, no jitter) between them', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('#', undefined, network);
      const retries: HmbRetryInfo[] = [];
      const result = source.pipe(
        retryWithBackoff(
          { initialDelayMs: 100, factor: 2, jitter: 'none', maxAttempts: 4 },
          { scheduler: ts, onRetry: (i) => retries.push(i) },
        ),
      );
      // Attempts at 0, 100, 100+200, 300+400 ms; the 4th attempt's failure at 700 ms is final.
      expectObservable(result).toBe('700ms #', undefined, network);
      expectSubscriptions(source.subscriptions).toBe([
        '(^!)',
        '100ms (^!)',
        '300ms (^!)',
        '700ms (^!)',
      ]);
      ts.flush();
      expect(retries.map((r) => [r.attempt, r.delayMs])).toEqual([
        [1, 100],
        [2, 200],
        [3, 400],
      ]);
    });
  });

  it('retryWithBackoff: the ceiling stops growing at maxDelayMs', () => {
    const delays = [1, 2, 3, 4, 5, 6].map((n) =>
      backoffDelayMs(n, { initialDelayMs: 100, maxDelayMs: 500, jitter: 'none' }, false),
    );
    expect(delays).toEqual([100, 200, 400, 500, 500, 500]);
  });

  it('retryWithBackoff: full jitter draws in [0, ceiling)', () => {
    expect(backoffDelayMs(3, { initialDelayMs: 100 }, false, () => 0)).toBe(0);
    expect(backoffDelayMs(3, { initialDelayMs: 100 }, false, () => 0.999)).toBe(399);
    expect(backoffDelayMs(3, { initialDelayMs: 100 }, false, () => 0.5)).toBe(200);
  });

  it('retryWithBackoff: a session-cap refusal waits at least sessionLimitDelayMs', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const limit = new HmbSessionLimitError('maximum number of sessions per IP exceeded');
      const source = cold('#', undefined, limit);
      const result = source.pipe(
        retryWithBackoff(
          { initialDelayMs: 100, sessionLimitDelayMs: 5000, maxAttempts: 2 },
          { scheduler: ts, random: () => 0 },
        ),
      );
      expectObservable(result).toBe('5000ms #', undefined, limit);
    });
  });

  it('retryWithBackoff: a fatal error passes through at once, without resubscribing', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const fatal = new HmbBadParamError('topics: invalid');
      const source = cold('--#', undefined, fatal);
      expectObservable(source.pipe(retryWithBackoff({}, { scheduler: ts }))).toBe(
        '--#',
        undefined,
        fatal,
      );
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('retryWithBackoff: 5xx is transient, 4xx is fatal', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const e502 = new HmbHttpError('bad gateway', { status: 502 });
      const e404 = new HmbHttpError('not found', { status: 404 });
      const s502 = cold('#', undefined, e502);
      const s404 = cold('#', undefined, e404);
      const cfg = { initialDelayMs: 10, jitter: 'none' as const, maxAttempts: 2 };
      expectObservable(s502.pipe(retryWithBackoff(cfg, { scheduler: ts }))).toBe(
        '10ms #',
        undefined,
        e502,
      );
      expectObservable(s404.pipe(retryWithBackoff(cfg, { scheduler: ts }))).toBe(
        '#',
        undefined,
        e404,
      );
    });
  });

  it('retryWithBackoff: maxAttempts 1 makes one attempt and passes its error on without waiting', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-#', undefined, network);
      const result = source.pipe(
        retryWithBackoff({ initialDelayMs: 100, maxAttempts: 1 }, { scheduler: ts }),
      );
      expectObservable(result).toBe('-#', undefined, network);
      expectSubscriptions(source.subscriptions).toBe('^!');
    });
  });

  it('retryWithBackoff: a value resets the count, so a healthy stream starts again from the short delay', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      // Each subscription emits one value 5 ms in, then fails 5 ms later.
      const source = cold('5ms a 4ms #', { a: 1 }, network);
      const retries: HmbRetryInfo[] = [];
      const result = source.pipe(
        retryWithBackoff(
          { initialDelayMs: 100, jitter: 'none' },
          { scheduler: ts, onRetry: (i) => retries.push(i) },
        ),
      );
      expectObservable(result, '^ 400ms !').toBe('5ms a 109ms a 109ms a 109ms a', { a: 1 });
      ts.flush();
      expect(retries.every((r) => r.attempt === 1 && r.delayMs === 100)).toBe(true);
    });
  });

  it('retryWithBackoff: unsubscribing during the wait cancels the timer and the resubscription', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('#', undefined, network);
      const result = source.pipe(
        retryWithBackoff({ initialDelayMs: 100, jitter: 'none' }, { scheduler: ts }),
      );
      expectObservable(result, '^ 50ms !').toBe('');
      expectSubscriptions(source.subscriptions).toBe(['(^!)']);
    });
  });
});
