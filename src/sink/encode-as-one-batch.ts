import type { HmbFormat } from '../protocol/hmb-format';
import type { HmbOutgoing } from '../protocol/outgoing';
import { encodeSendBatch, type HmbSendBatch } from '../protocol/send-batch';
import {
  DEFAULT_SINK_MAX_BATCH_BYTES,
  DEFAULT_SINK_MAX_BATCH_MESSAGES,
  DEFAULT_SINK_MAX_BUFFERED_MESSAGES,
  type HmbSinkOptions,
} from './sink-options';

/**
 * @internal The messages of one `send()` checked and encoded as one /send body, when they fit one
 * (the batch bounds of `options`); `undefined` when they need several.
 *
 * @throws HmbInvalidMessageError for the first message that cannot be sent: nothing is sent then.
 */
export function encodeAsOneBatch<T>(
  messages: readonly HmbOutgoing<T>[],
  format: HmbFormat,
  options: HmbSinkOptions,
): HmbSendBatch<HmbOutgoing<T>> | undefined {
  const maxMessages = Math.max(1, options.maxBatchMessages ?? DEFAULT_SINK_MAX_BATCH_MESSAGES);
  const maxBuffered = Math.max(
    1,
    options.maxBufferedMessages ?? DEFAULT_SINK_MAX_BUFFERED_MESSAGES,
  );
  if (messages.length === 0 || messages.length > Math.min(maxMessages, maxBuffered))
    return undefined;
  const batch = encodeSendBatch(
    messages,
    0,
    messages.length,
    {
      maxMessages,
      maxBytes: Math.max(1, options.maxBatchBytes ?? DEFAULT_SINK_MAX_BATCH_BYTES),
    },
    format,
  );
  const refused = batch.refused[0];
  if (refused !== undefined) throw refused.error;
  // Cut short by the byte bound, or by a message that fails after good ones: the caller checks
  // every message and sends them in several batches (or reports the one that fails).
  return batch.messages.length === messages.length ? batch : undefined;
}
