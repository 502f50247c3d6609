import { pollBatches } from './poll-batches';
import type { HmbBatchSource } from './receive-attempt';
import { streamBatches } from './stream-batches';

/** How a subscription reads its sessions: long polling, one endless /stream, or stream with a fallback. */
export type HmbReceiveMode = 'poll' | 'stream' | 'auto';

/**
 * After this many stream sessions in a row that ended before delivering a single frame, `auto`
 * mode gives up on /stream for the subscription and long-polls instead (a proxy that buffers whole
 * responses never lets a stream through).
 */
export const AUTO_STREAM_FAILURES_BEFORE_POLL = 2;

/**
 * The batch source for a receive mode. `auto` asks `streamOffered()` once (does /features list
 * STREAM?) and streams if so, falling back to polling for good after
 * {@link AUTO_STREAM_FAILURES_BEFORE_POLL} stream sessions that delivered nothing.
 */
export function batchSourceFor(
  mode: HmbReceiveMode,
  streamOffered: (signal: AbortSignal) => Promise<boolean>,
): HmbBatchSource {
  if (mode === 'poll') return pollBatches;
  if (mode === 'stream') return streamBatches;
  let chosen: 'poll' | 'stream' | undefined;
  let barren = 0;
  return async function* autoBatches(ctx, sid, position, signal) {
    if (chosen === undefined) chosen = (await streamOffered(signal)) ? 'stream' : 'poll';
    if (chosen === 'poll') {
      yield* pollBatches(ctx, sid, position, signal);
      return;
    }
    let delivered = false;
    try {
      for await (const batch of streamBatches(ctx, sid, position, signal)) {
        delivered = true;
        barren = 0;
        yield batch;
      }
    } finally {
      // Runs on errors and on teardown by the watchdog alike.
      if (!delivered && ++barren >= AUTO_STREAM_FAILURES_BEFORE_POLL) chosen = 'poll';
    }
  };
}
