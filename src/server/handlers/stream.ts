import { sendEmpty, startChunked, writeChunks } from '../http/respond';
import type { RequestContext } from '../request-context';
import { BurstBuilder } from '../wire/burst-builder';
import { heartbeatFrame } from '../wire/encode-message';
import { sessionContentType, sessionForLongPoll, timerDelay } from './long-poll-checks';

/** Largest burst a stream writes before yielding to other work (recv_limit does not apply). */
export const STREAM_BURST_BYTES = 1024 * 1024;

/**
 * GET /{bus}/stream/{sid}[/{queue}/{seq}] (docs/protocol.md §11): one endless answer, flushed after
 * every burst. JSON keys count across the whole stream and later bursts start with a comma; EOF
 * closes the object (`}`) and ends the body; shutdown ends it without the `}`. Heartbeats come on a
 * fixed period and only when no message is waiting. A slow reader is paced by `drain`, so the
 * server never buffers more than one burst for it.
 */
export function handleStream(ctx: RequestContext): void {
  const session = sessionForLongPoll(ctx);
  if (session === undefined) return;
  const { res, core } = ctx;
  const contentType = sessionContentType(session);
  session.begin();

  const burst = new BurstBuilder(session.format);
  let started = false;
  let done = false;
  let draining = false;
  let wakeTimer: NodeJS.Timeout | undefined;
  let heartbeatTimer: NodeJS.Timeout | undefined;
  let again: NodeJS.Immediate | undefined;
  const poll = { shutdown: () => shutdown() };

  const finish = (): void => {
    if (done) return;
    done = true;
    clearTimeout(wakeTimer);
    clearInterval(heartbeatTimer);
    if (again !== undefined) clearImmediate(again);
    removeWaiter();
    core.longPolls.delete(poll);
    session.end();
  };
  const pump = (heartbeat = false): void => {
    again = undefined;
    if (done || draining) return;
    if (res.socket === null || res.socket.destroyed) return finish();
    const result = session.collect(burst, STREAM_BURST_BYTES);
    if (heartbeat && burst.count === 0) burst.add(heartbeatFrame(session.format));
    if (burst.count > 0) {
      const body = burst.take(result.eof);
      if (!started) {
        startChunked(res, contentType);
        started = true;
      }
      const flowing = writeChunks(res, body);
      session.received += body.length;
      if (result.eof) {
        res.end();
        finish();
        return;
      }
      if (!flowing) {
        draining = true;
        res.once('drain', () => {
          draining = false;
          pump();
        });
        return;
      }
      if (result.limitReached) {
        again = setImmediate(pump);
        return;
      }
    }
    clearTimeout(wakeTimer);
    wakeTimer = undefined;
    if (result.wakeAt !== undefined)
      wakeTimer = setTimeout(pump, timerDelay(result.wakeAt - Date.now()));
  };
  const shutdown = (): void => {
    if (done) return;
    if (!res.headersSent) res.setHeader('Connection', 'close');
    if (started) res.end();
    else sendEmpty(res, 200, { 'Content-Type': contentType });
    finish();
  };

  const removeWaiter = session.addWaiter(() => pump());
  core.longPolls.add(poll);
  res.on('close', finish);
  if (session.heartbeat > 0) {
    heartbeatTimer = setInterval(() => pump(true), timerDelay(session.heartbeat * 1000));
  }
  pump();
  if (core.closing) shutdown();
}
