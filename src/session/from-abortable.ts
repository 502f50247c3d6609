import { Observable } from 'rxjs';

/**
 * A cold Observable of one async call that takes an AbortSignal: each subscription starts the call,
 * emits its result and completes; unsubscribing aborts it.
 */
export function fromAbortable<T>(call: (signal: AbortSignal) => Promise<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const controller = new AbortController();
    call(controller.signal).then(
      (value) => {
        subscriber.next(value);
        subscriber.complete();
      },
      (error: unknown) => {
        if (!controller.signal.aborted) subscriber.error(error);
      },
    );
    return () => controller.abort(new DOMException('unsubscribed', 'AbortError'));
  });
}
