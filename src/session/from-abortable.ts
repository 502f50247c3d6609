import { Observable } from 'rxjs';

/**
 * A cold Observable of one async call that takes an AbortSignal: each subscription starts the call,
 * emits its result and completes; unsubscribing while the call runs aborts it.
 */
export function fromAbortable<T>(call: (signal: AbortSignal) => Promise<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const controller = new AbortController();
    let settled = false;
    call(controller.signal).then(
      (value) => {
        settled = true;
        subscriber.next(value);
        subscriber.complete();
      },
      (error: unknown) => {
        settled = true;
        if (!controller.signal.aborted) subscriber.error(error);
      },
    );
    // Only a call still running is aborted: the teardown also runs after every completion, and an
    // abort there (a DOMException with its stack, an event to dispatch) was a measurable share of
    // a one-message send.
    return () => {
      if (!settled) controller.abort(new DOMException('unsubscribed', 'AbortError'));
    };
  });
}
