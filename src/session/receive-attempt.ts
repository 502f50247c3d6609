import { Observable } from 'rxjs';
import { HmbSessionLostError } from '../errors/session-lost-error';
import { EOF, type HmbFrame } from '../protocol/message';
import {
  DEFAULT_GAP_HEAL_ATTEMPTS,
  type HmbGap,
  type HmbHealedEvent,
  type HmbLiveEvent,
} from './connection-state';
import type { HmbConnectionInput } from './connection-state-machine';
import { settleSkip } from './gap-healing';
import { infoFromWire } from '../protocol/bus-info-wire';
import { getJson } from './get-json';
import { openSession } from './open-session';
import { pollBatches } from './poll-batches';
import type { HmbRecvPosition } from './recv-frames';
import type { HmbSessionContext } from './session-context';
import type { DemandGate } from './demand-gate';
import type { HmbSessionStep, SubscriptionCursor } from './subscription-cursor';

/** Reads the frames of one open session in batches (long polling, or a /stream response). */
export type HmbBatchSource = (
  ctx: HmbSessionContext,
  sid: string,
  position: () => HmbRecvPosition | undefined,
  signal: AbortSignal,
) => AsyncIterable<Iterable<HmbFrame>>;

/** What one attempt emits: frames (EOF included, just before completing), gaps, heals, `live`. */
export type HmbAttemptEvent = HmbFrame | HmbGap | HmbHealedEvent | HmbLiveEvent;

/** Options of {@link receiveAttempt}. */
export interface HmbAttemptOptions {
  /** How to read a session's frames (default: long polling). */
  readonly source?: HmbBatchSource;
  /** Awaited at the start of every attempt (e.g. loading a cursor store); it should cache its result. */
  readonly prepare?: () => PromiseLike<void>;
  /** Told when an /open starts (`opening`) and when it is acknowledged (`opened`). */
  readonly report?: (input: HmbConnectionInput) => void;
  /** Flow control: asked after each batch before reading on (see `HmbSubscribeOptions.demand`). */
  readonly flow?: DemandGate;
  /** Tries to fetch a skipped range again (default {@link DEFAULT_GAP_HEAL_ATTEMPTS}). */
  readonly maxGapHealAttempts?: number;
}

/**
 * One attempt of a subscription, as a cold Observable: open a session from where the cursor stands,
 * then read it until EOF (complete) or a failure (error). Subscribing starts it; unsubscribing
 * aborts the request in flight at once. The retry layer above re-subscribes after transient
 * failures, and the shared cursor makes the next attempt resume from the last delivered seq.
 *
 * Within one attempt, the cursor decides after every batch what comes next
 * ({@link SubscriptionCursor.nextStep}: read on, reopen, go live, or end); the attempt only acts
 * on it. A session whose frames end without EOF is lost (an error the retry layer handles).
 */
export function receiveAttempt(
  ctx: HmbSessionContext,
  cursor: SubscriptionCursor,
  options: HmbAttemptOptions = {},
): Observable<HmbAttemptEvent> {
  const source = options.source ?? pollBatches;
  const maxHealAttempts = options.maxGapHealAttempts ?? DEFAULT_GAP_HEAL_ATTEMPTS;
  return new Observable<HmbAttemptEvent>((subscriber) => {
    const controller = new AbortController();
    const { signal } = controller;

    /**
     * Reads one open session until the cursor says to leave it; `undefined` when the subscriber
     * went away meanwhile.
     */
    const readSession = async (sid: string): Promise<SessionExit | undefined> => {
      // The continuity suffix: the last real message this session received, whether or not
      // it was delivered downstream (duplicates and client-side rejects count too).
      let position: HmbRecvPosition | undefined;
      for await (const frames of source(ctx, sid, () => position, signal)) {
        let sawEof = false;
        for (const frame of frames) {
          if (subscriber.closed) return undefined;
          if (frame.kind === 'message') {
            // The message itself carries the queue and seq: no object per message for this.
            position = frame;
            const { deliver, gap, heal, healed } = cursor.accept(frame);
            if (heal === true && gap !== undefined) {
              const settled = await settleSkip(ctx, cursor, gap, frame, maxHealAttempts, signal);
              if (subscriber.closed) return undefined;
              for (const event of settled.events) subscriber.next(event);
              // A skipped range the server still holds: reopen from its first seq.
              if (settled.reopen) return 'reopen';
              if (settled.deliver) subscriber.next(frame);
              continue;
            }
            if (gap !== undefined) subscriber.next(gap);
            if (deliver) subscriber.next(frame);
            if (healed !== undefined) subscriber.next(healed);
          } else if (frame.kind === 'heartbeat') {
            subscriber.next(frame);
          } else {
            sawEof = true;
            break;
          }
        }
        const step = cursor.nextStep(sawEof);
        if (step !== 'read') return step;
        // The next poll (or the next chunk of the stream) waits for the consumer: a slow
        // consumer slows the bus down instead of piling messages up in memory.
        const wait = options.flow?.ask();
        if (wait !== undefined) {
          await wait;
          if (subscriber.closed) return undefined;
        }
      }
      if (subscriber.closed) return undefined;
      throw new HmbSessionLostError('the session ended without EOF (server shutting down?)', {
        bus: ctx.endpoint.busUrl,
        sid,
      });
    };

    const run = async (): Promise<void> => {
      if (options.prepare !== undefined) {
        await options.prepare();
        if (signal.aborted) return;
      }
      for (;;) {
        options.report?.(OPENING);
        const ack = await openSession(ctx, cursor.openParams(), signal);
        const outcome = cursor.applyAck(ack, ctx.endpoint.busUrl);
        for (const gap of outcome.gaps) subscriber.next(gap);
        if (outcome.reopen) continue;
        if (await waitedQueuesExist(ctx, cursor, signal)) continue;
        options.report?.({ kind: 'opened', sid: ack.sid, cid: ack.cid });
        switch (await readSession(ack.sid)) {
          case undefined:
            return;
          case 'reopen':
            continue;
          case 'live':
            // The backlog is drained: follow in real time from the next seq of every queue.
            subscriber.next({ kind: 'live' });
            continue;
          case 'eof':
            subscriber.next(EOF);
            subscriber.complete();
            return;
        }
      }
    };

    run().then(
      () => {
        if (!subscriber.closed) subscriber.complete();
      },
      (error: unknown) => {
        if (!signal.aborted) subscriber.error(error);
      },
    );
    return () => controller.abort(new DOMException('unsubscribed', 'AbortError'));
  });
}

/** How the attempt leaves a session: every {@link HmbSessionStep} but reading on. */
type SessionExit = Exclude<HmbSessionStep, 'read'>;
const OPENING: HmbConnectionInput = { kind: 'opening' };

/**
 * Closes the race between "queue not found" and the ANNOUNCEMENT position of the same /open: a
 * queue created in between would be announced before our position. Asking /info after the open
 * catches it.
 */
async function waitedQueuesExist(
  ctx: HmbSessionContext,
  cursor: SubscriptionCursor,
  signal: AbortSignal,
): Promise<boolean> {
  const waiting = cursor.waitingQueues();
  if (waiting.length === 0) return false;
  const info = infoFromWire(await getJson(ctx, 'info', signal));
  return waiting.some((name) => info.queue[name] !== undefined);
}
