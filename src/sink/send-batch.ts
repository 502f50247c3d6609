import { catchError, defer, of, type Observable, type SchedulerLike } from 'rxjs';
import type { HmbError } from '../errors/hmb-error';
import { HmbSendError } from '../errors/send-error';
import { retryClassified, type HmbRetryConfig } from '../session/retry-with-backoff';
import type { HmbFormat } from '../protocol/hmb-format';
import type { HmbOutgoing } from '../protocol/outgoing';
import { fromAbortable } from '../session/from-abortable';
import { sendBody } from '../session/send-body';
import type { HmbSessionContext } from '../session/session-context';
import type { HmbPublishingSession } from './publishing-session';
import { classifySendFailure, sendRetryDecision } from './send-failure';
import type { HmbSendResult } from './send-result';
import type { HmbUncertainPolicy } from './sink-options';

/** @internal A batch ready to go: its messages, in order, and their /send body. */
export interface HmbOutgoingBatch<T> {
  readonly messages: readonly HmbOutgoing<T>[];
  readonly body: string | Uint8Array;
}

/** @internal Where and how a sink sends its batches. */
export interface HmbBatchSender {
  readonly context: HmbSessionContext;
  readonly publisher: HmbPublishingSession;
  readonly format: HmbFormat;
  /** Backoff between attempts and their number (`maxAttempts` set by the sink). */
  readonly retry: HmbRetryConfig;
  readonly uncertain: HmbUncertainPolicy;
  /** Where the waits between attempts run (a virtual-time scheduler in tests). */
  readonly scheduler: SchedulerLike;
  /** Told `true` when a /send of the batch goes on the wire, `false` when it is over. */
  readonly onTheWire: (sending: boolean) => void;
}

/**
 * Sends one batch until its fate is known: a cold Observable of the one result (`sent`, `failed`
 * or, under the `report` policy, `unknown`), then complete. Each attempt takes the publishing
 * session (opening one when there is none) and makes one /send; whether a failed attempt is
 * repeated, and after which wait, is {@link sendRetryDecision}'s call, on the shared backoff.
 * Unsubscribing aborts the request or the wait: the sink then reports the batch itself.
 */
export function sendBatch<T>(
  batch: HmbOutgoingBatch<T>,
  sender: HmbBatchSender,
): Observable<HmbSendResult<T>> {
  return defer(() => {
    const { messages } = batch;
    let attempts = 0;
    // Set once an attempt failed after its request may have reached the server.
    let uncertain = false;
    const attempt$ = fromAbortable<HmbSendResult<T>>(async (signal) => {
      attempts++;
      let sid: string | undefined;
      try {
        sid = await sender.publisher.acquire(signal);
        sender.onTheWire(true);
        try {
          await sendBody(sender.context, sid, batch.body, sender.format, signal);
        } finally {
          sender.onTheWire(false);
        }
        return { kind: 'sent', messages, sid, attempts, uncertain };
      } catch (error) {
        const failure = classifySendFailure(error);
        if (failure === 'session-lost' && sid !== undefined) sender.publisher.forget(sid);
        if (failure === 'uncertain') uncertain = true;
        throw error;
      }
    });
    return attempt$.pipe(
      retryClassified<HmbSendResult<T>>(
        sender.retry,
        (error, failures) =>
          sendRetryDecision(classifySendFailure(error), failures, sender.uncertain),
        { scheduler: sender.scheduler },
      ),
      catchError((error: unknown) => {
        const givenUp = sendError(sender, messages, error, attempts);
        return of<HmbSendResult<T>>(
          sender.uncertain === 'report' && classifySendFailure(error) === 'uncertain'
            ? { kind: 'unknown', messages, error: givenUp }
            : { kind: 'failed', messages, error: givenUp },
        );
      }),
    );
  });
}

function sendError(
  sender: HmbBatchSender,
  messages: readonly HmbOutgoing[],
  cause: unknown,
  attempts: number,
): HmbError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const sid = sender.publisher.current;
  return new HmbSendError(
    `${messages.length} message(s) not confirmed after ${attempts} attempt(s): ${reason}`,
    messages,
    { cause, bus: sender.context.endpoint.busUrl, ...(sid === undefined ? {} : { sid }) },
  );
}
