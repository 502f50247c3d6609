import { sendEmpty, startChunked, writeChunks } from '../http/respond';
import type { RequestContext } from '../request-context';
import { BurstBuilder } from '../wire/burst-builder';
import { heartbeatFrame } from '../wire/encode-message';
import { sessionContentType, sessionForLongPoll, timerDelay } from './long-poll-checks';

/**
 * GET /{bus}/recv/{sid}[/{queue}/{seq}] (docs/protocol.md §10): answers at once with every ready
 * message (up to `recv_limit`), or waits until a message, a HEARTBEAT or an out-of-order give-up is
 * due. Nothing at all is written, not even the status line, until the body is ready. On shutdown a
 * waiting request gets an empty 200 with `Connection: close`.
 */
export function handleRecv(ctx: RequestContext): void {
  const session = sessionForLongPoll(ctx);
  if (session === undefined) return;
  const { res, core } = ctx;
  const contentType = sessionContentType(session);
  session.begin();

  let done = false;
  let removeWaiter: (() => void) | undefined = undefined;
  let heartbeatTimer: NodeJS.Timeout | undefined;
  let wakeTimer: NodeJS.Timeout | undefined;
  const poll = { shutdown: () => shutdown() };

  const finish = (): void => {
    if (done) return;
    done = true;
    clearTimeout(heartbeatTimer);
    clearTimeout(wakeTimer);
    removeWaiter?.();
    core.longPolls.delete(poll);
    session.end();
  };
  const respond = (burst: BurstBuilder): void => {
    const body = burst.take(true);
    startChunked(res, contentType);
    writeChunks(res, body);
    res.end();
    session.received += body.length;
    finish();
  };
  const attempt = (heartbeat: boolean): boolean => {
    if (done) return true;
    // A client already gone must not have messages taken from its session for nothing.
    if (res.socket === null || res.socket.destroyed) {
      finish();
      return true;
    }
    const burst = new BurstBuilder(session.format);
    const result = session.collect(burst, session.recvLimitBytes());
    if (heartbeat) burst.add(heartbeatFrame(session.format));
    if (burst.count > 0) {
      respond(burst);
      return true;
    }
    clearTimeout(wakeTimer);
    wakeTimer = undefined;
    if (result.wakeAt !== undefined) {
      wakeTimer = setTimeout(() => attempt(false), timerDelay(result.wakeAt - Date.now()));
    }
    return false;
  };
  const shutdown = (): void => {
    if (done) return;
    if (!res.headersSent) res.setHeader('Connection', 'close');
    sendEmpty(res, 200, { 'Content-Type': contentType });
    finish();
  };

  if (attempt(false)) return;
  if (core.closing) return shutdown();
  core.longPolls.add(poll);
  removeWaiter = session.addWaiter(() => attempt(false));
  if (session.heartbeat > 0) {
    // The heartbeat timer runs per request (docs/protocol.md §6.9).
    heartbeatTimer = setTimeout(() => attempt(true), timerDelay(session.heartbeat * 1000));
  }
  // A client that goes away ends the wait at once; the session becomes idle.
  res.on('close', finish);
}
