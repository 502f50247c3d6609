// Reading a window through the library, as an application would.
import type { HmbSubscribeParams } from '../../src/index';
import type { HmbClient } from '../../src/node';
import { library } from './hmb-rx';
import type { BenchMessage } from './payloads';
import type { Format } from './raw-http';

/** Receive modes compared by the benchmarks. */
export type Transport = 'poll' | 'stream';

/** A client of `busUrl` in `format`, with nothing else set. */
export function benchClient(busUrl: string, format: Format): HmbClient {
  return new library.HmbClient(busUrl, { format });
}

/** Reads `params` with `client.recvAll` to completion and returns how many messages came. */
export function recvAllCount(
  client: HmbClient,
  params: HmbSubscribeParams,
  transport: Transport,
): Promise<number> {
  let count = 0;
  return new Promise<number>((resolve, reject) => {
    client.recvAll(params, { transport }).subscribe({
      next: () => {
        count++;
      },
      error: reject,
      complete: () => resolve(count),
    });
  });
}

/**
 * Publishes `messages` through one `client.sink()` of `batch` messages per /send, to the end, and
 * checks that every one was sent.
 */
export async function sinkAll(
  client: HmbClient,
  batch: number,
  messages: readonly BenchMessage[],
): Promise<void> {
  const sink = client.sink({ maxBatchMessages: batch, keepAliveSec: 0 });
  for (const m of messages) sink.next(m);
  sink.complete();
  const summary = await sink.done;
  if (summary.sent !== messages.length)
    throw new Error(`sink: ${summary.sent} of ${messages.length} sent`);
}
