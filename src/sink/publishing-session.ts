import { openSession } from '../session/open-session';
import type { HmbSessionContext } from '../session/session-context';

/**
 * The HMB session that sinks and sends publish on, opened lazily, shared, and reopened when the
 * server forgot it.
 *
 * A client holds one, used by `send`, `sendMsg` and every sink that does not ask for its own, so
 * that publishing costs one slot of the server's per-address session cap however many sends a
 * program makes (the server caps sessions per address, 10 by default, and a process that opened a
 * session per send would crowd out its own subscriptions). /send takes its format per request, so
 * sinks of either format share it.
 *
 * The /open runs under a controller of its own, not the caller's signal: several callers may be
 * waiting for the same /open, and one of them giving up must not fail the others.
 */
export class HmbPublishingSession {
  private sid: string | undefined;
  private cid: string | undefined;
  private opening: Promise<string> | undefined;
  private readonly controller = new AbortController();

  /**
   * @param context - where and how to open the session.
   * @param cid - the client id to ask for (default: one the server makes up, then kept across
   *   reopens so that subscribers with that cid keep skipping these messages).
   */
  constructor(
    private readonly context: HmbSessionContext,
    cid?: string,
  ) {
    this.cid = cid;
  }

  /** The session id now in use, if a session is open. */
  get current(): string | undefined {
    return this.sid;
  }

  /** The session id, opening a session first when there is none. Rejects with the /open's error. */
  acquire(signal: AbortSignal): Promise<string> {
    if (this.sid !== undefined) return Promise.resolve(this.sid);
    this.opening ??= this.open();
    return untilAborted(this.opening, signal);
  }

  /**
   * The server no longer knows `sid` (`400 invalid session`): the next {@link acquire} opens a new
   * session. A sid already replaced by another caller's reopen is left alone.
   */
  forget(sid: string): void {
    if (this.sid === sid) this.sid = undefined;
  }

  /** Aborts an /open in flight; later acquires fail. */
  close(): void {
    this.controller.abort(new DOMException('the client was closed', 'AbortError'));
  }

  private async open(): Promise<string> {
    try {
      const ack = await openSession(
        this.context,
        this.cid === undefined ? {} : { cid: this.cid },
        this.controller.signal,
      );
      this.sid = ack.sid;
      this.cid = ack.cid;
      return ack.sid;
    } finally {
      this.opening = undefined;
    }
  }
}

/** The promise, or the signal's reason as soon as it is aborted (the promise itself goes on). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}

/**
 * The session a sink or a send publishes on: the client's shared one, unless the options ask for
 * one of its own (`ownSession`, or a `cid`, which belongs to a session of its own). `own` says
 * which, so that an own session is closed with its sink.
 */
export function publishingSessionFor(
  context: HmbSessionContext,
  shared: HmbPublishingSession | undefined,
  options: { readonly ownSession?: boolean; readonly cid?: string },
): { readonly session: HmbPublishingSession; readonly own: boolean } {
  if (shared !== undefined && options.ownSession !== true && options.cid === undefined)
    return { session: shared, own: false };
  return { session: new HmbPublishingSession(context, options.cid), own: true };
}
