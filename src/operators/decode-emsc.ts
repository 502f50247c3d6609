import { concatMap, EMPTY, from, type Observable, type OperatorFunction } from 'rxjs';
import { HmbEmscError } from '../errors/emsc-error';
import { isHmbError } from '../errors/hmb-error';
import { EMSC_MESSAGE_TYPE, readEmscEnvelope, type HmbEmscEnvelope } from '../emsc/emsc-envelope';
import type { HmbMessage } from '../protocol/message';

/** A decoded EMSC message: its envelope, and the bus message it came in. */
export interface HmbEmscMessage extends HmbEmscEnvelope {
  /** The message as the bus delivered it (queue, seq, topic, sender …). */
  readonly message: HmbMessage<unknown>;
}

/**
 * What {@link decodeEmsc} does with a message that is not a readable EMSC envelope: `'error'`
 * (default) errors the stream with the {@link HmbEmscError}; `'drop'` skips it; a function is told,
 * then the message is skipped.
 */
export type HmbOnBadEnvelope =
  'error' | 'drop' | ((error: HmbEmscError, message: HmbMessage<unknown>) => void);

/** Options of {@link decodeEmsc}. */
export interface HmbDecodeEmscOptions {
  /** See {@link HmbOnBadEnvelope}. Default `'error'`. */
  readonly onInvalid?: HmbOnBadEnvelope;
}

/**
 * Turns `EMSC_MSG` messages (EMSC's Python `hmb_client` envelope, docs/emsc.md) into
 * `{ header, payload, message }`: the header (creation time, author, agency, metadata) and the
 * payload as a dict, a text with its encoding, bytes, or a file `{ file, content }`, zlib content
 * inflated (with the Compression Streams API, in Node and browsers). Order is kept. A message of
 * another type, or a broken envelope, is an {@link HmbEmscError} (`HMB_ERR_EMSC`), handled as
 * `onInvalid` says.
 *
 * @example
 * ```ts
 * client.subscribe({ queue: { EMSC_ALERTS: { seq: -2 } } })
 *   .pipe(decodeEmsc({ onInvalid: 'drop' }))
 *   .subscribe(({ header, payload }) => {
 *     if (payload.kind === 'file') writeFileSync(payload.file, payload.content);
 *   });
 * ```
 */
export function decodeEmsc(
  options: HmbDecodeEmscOptions = {},
): OperatorFunction<HmbMessage<unknown>, HmbEmscMessage> {
  const onInvalid = options.onInvalid ?? 'error';
  return concatMap((message): Observable<HmbEmscMessage> => {
    const source = { queue: message.queue, seq: message.seq };
    const decoded =
      message.type === EMSC_MESSAGE_TYPE
        ? readEmscEnvelope(message.data, source)
        : Promise.reject(
            new HmbEmscError(
              `${message.queue}#${message.seq} is a ${message.type} message, not ${EMSC_MESSAGE_TYPE}`,
              { problem: 'not-emsc', ...source },
            ),
          );
    return from(
      decoded.then(
        (envelope): HmbEmscMessage | undefined => ({ ...envelope, message }),
        (error: unknown) => {
          if (onInvalid === 'error' || !isHmbError(error, 'HMB_ERR_EMSC')) throw error;
          if (typeof onInvalid === 'function') onInvalid(error as HmbEmscError, message);
          return undefined;
        },
      ),
    ).pipe(concatMap((item) => (item === undefined ? EMPTY : [item])));
  });
}
