import type { HmbBufferFullError } from '../errors/buffer-full-error';
import type { HmbClosedError } from '../errors/closed-error';
import type { HmbError } from '../errors/hmb-error';
import type { HmbInvalidMessageError } from '../errors/invalid-message-error';
import type { HmbOutgoing } from '../protocol/outgoing';

/**
 * The fate of messages given to a sink. A union on `kind`:
 * - `sent`: the server answered `204`: every message of the batch is on the bus, in order, once.
 *   With `uncertain: true` an earlier attempt's answer was lost and the batch was sent again, so
 *   these messages may be on the bus twice.
 * - `failed`: the batch was given up (the server refused it with `400`, or retries ran out). After a
 *   `400` the messages before the offending one may be stored (the server is not atomic); after
 *   retries ran out on errors that left the fate unknown, some may be stored too.
 * - `unknown`: (policy `report` only) the request went out and no answer came back; the batch may
 *   or may not be on the bus, and was not sent again.
 * - `refused`: one message was not accepted by the sink at all (invalid, buffer full, sink closed).
 */
export type HmbSendResult<T = unknown> =
  | {
      readonly kind: 'sent';
      readonly messages: readonly HmbOutgoing<T>[];
      readonly sid: string;
      /** Attempts it took (1 when the first one succeeded). */
      readonly attempts: number;
      readonly uncertain: boolean;
    }
  | {
      readonly kind: 'failed';
      readonly messages: readonly HmbOutgoing<T>[];
      readonly error: HmbError;
    }
  | {
      readonly kind: 'unknown';
      readonly messages: readonly HmbOutgoing<T>[];
      readonly error: HmbError;
    }
  | {
      readonly kind: 'refused';
      readonly message: HmbOutgoing<T>;
      readonly error: HmbInvalidMessageError | HmbBufferFullError | HmbClosedError;
    };

/** Counts of messages by fate, when a sink has finished. */
export interface HmbSinkSummary {
  readonly sent: number;
  /** Of `sent`, how many went out again after a lost answer (possible duplicates). */
  readonly uncertain: number;
  readonly failed: number;
  readonly unknown: number;
  readonly refused: number;
  /** /send requests made for messages (keep-alives not counted). */
  readonly requests: number;
}
