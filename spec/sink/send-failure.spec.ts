import { defer, of, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { HmbBadParamError } from '../../src/errors/bad-param-error';
import { HmbHttpError } from '../../src/errors/http-error';
import { HmbNetworkError } from '../../src/errors/network-error';
import { HmbSessionLimitError } from '../../src/errors/session-limit-error';
import { HmbSessionLostError } from '../../src/errors/session-lost-error';
import { retryClassified } from '../../src/session/retry-with-backoff';
import {
  classifySendFailure,
  sendRetryDecision,
  type HmbSendFailure,
} from '../../src/sink/send-failure';

const refused = new HmbNetworkError('connect ECONNREFUSED', {
  cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
});
const reset = new HmbNetworkError('socket hang up', {
  cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
});
const lost = new HmbSessionLostError('session lost (invalid session)');
const capped = new HmbSessionLimitError('maximum number of sessions per IP exceeded');
const badGateway = new HmbHttpError('HTTP 502', { status: 502 });
const badMessage = new HmbBadParamError('the server refused the request');

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

describe('sink: what a failed /send means', () => {
  it('sink: failures are read as not-sent, session-lost, session-limit, uncertain, rejected or fatal', () => {
    const read = [refused, lost, capped, reset, badGateway, badMessage, new Error('a bug')].map(
      classifySendFailure,
    );
    expect(read).toEqual<HmbSendFailure[]>([
      'not-sent',
      'session-lost',
      'session-limit',
      'uncertain',
      'uncertain',
      'rejected',
      'fatal',
    ]);
  });

  it('sink: the retry decision: at once only for the first lost session, never after a 400 or (report) an uncertain one', () => {
    const decide = (f: HmbSendFailure, n: number, p: 'resend' | 'report' = 'resend') =>
      sendRetryDecision(f, n, p);
    expect(decide('session-lost', 1)).toBe('at-once');
    expect(decide('session-lost', 2)).toBe('transient');
    expect(decide('not-sent', 1)).toBe('transient');
    expect(decide('not-sent', 1, 'report')).toBe('transient');
    expect(decide('uncertain', 1)).toBe('transient');
    expect(decide('uncertain', 1, 'report')).toBe('fatal');
    expect(decide('session-limit', 3)).toBe('session-limit');
    expect(decide('rejected', 1)).toBe('fatal');
    expect(decide('fatal', 1)).toBe('fatal');
  });

  it('sink: on the shared backoff, lost session, refused connection, session cap: waits 0, 200 (2nd failure), then 10 s', () => {
    const ts = scheduler();
    ts.run(({ expectObservable }) => {
      // Each attempt fails with the next error; the fourth succeeds.
      const errors = [lost, refused, capped];
      const startedAt: number[] = [];
      const source = defer(() => {
        startedAt.push(ts.now());
        const error = errors[startedAt.length - 1];
        return error === undefined ? of('sent') : throwError(() => error);
      });
      const result = source.pipe(
        retryClassified(
          { initialDelayMs: 100, factor: 2, jitter: 'none', sessionLimitDelayMs: 10_000 },
          (error, failures) => sendRetryDecision(classifySendFailure(error), failures, 'resend'),
          { scheduler: ts },
        ),
      );
      expectObservable(result).toBe('10200ms (a|)', { a: 'sent' });
      ts.flush();
      // At once after the lost session; 200 ms after the 2nd failure; the cap's 10 s after the 3rd.
      expect(startedAt).toEqual([0, 0, 200, 10_200]);
    });
  });

  it('sink: a 400 ends the retries at once, with the error', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('#', undefined, badMessage);
      const result = source.pipe(
        retryClassified(
          { initialDelayMs: 100, jitter: 'none' },
          (error, failures) => sendRetryDecision(classifySendFailure(error), failures, 'resend'),
          { scheduler: ts },
        ),
      );
      expectObservable(result).toBe('#', undefined, badMessage);
      expectSubscriptions(source.subscriptions).toBe(['(^!)']);
    });
  });
});
