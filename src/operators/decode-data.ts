import { Observable, type OperatorFunction } from 'rxjs';
import { HmbInvalidDataError } from '../errors/invalid-data-error';
import type { HmbMessage } from '../protocol/message';

/**
 * A type guard on a message's data.
 *
 * @example
 * ```ts
 * const isAlert: HmbDataGuard<Alert> = (d): d is Alert =>
 *   typeof d === 'object' && d !== null && typeof (d as Alert).eventId === 'string';
 * ```
 */
export type HmbDataGuard<T> = (data: unknown) => data is T;

/**
 * A parse function: returns the data as `T` (possibly transformed) or throws when it is invalid.
 *
 * @example
 * ```ts
 * const parseAlert: HmbDataParseFunction<Alert> = (d) => AlertSchema.parse(d);
 * ```
 */
export type HmbDataParseFunction<T> = (data: unknown) => T;

/**
 * A schema object with a throwing `parse`, such as a zod schema.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * const AlertSchema: HmbDataSchema<{ eventId: string }> = z.object({ eventId: z.string() });
 * ```
 */
export interface HmbDataSchema<T> {
  /** Returns the data as `T`, or throws when it is invalid. */
  parse(data: unknown): T;
}

/**
 * Anything {@link decodeData} can validate with: a guard, a parse function or a schema object.
 *
 * @example
 * ```ts
 * const validators: HmbDataValidator<Alert>[] = [isAlert, (d) => AlertSchema.parse(d), AlertSchema];
 * ```
 */
export type HmbDataValidator<T> = HmbDataGuard<T> | HmbDataParseFunction<T> | HmbDataSchema<T>;

/**
 * A message whose data has been validated as `T` (other fields, e.g. `bus`, kept as they were).
 *
 * @example
 * ```ts
 * const m: HmbDecoded<HmbSourcedMessage, Alert> = { ...sourced, data: alert };
 * console.log(m.bus, m.data.eventId);
 * ```
 */
export type HmbDecoded<M extends HmbMessage<unknown>, T> = Omit<M, 'data'> & { readonly data: T };

/**
 * What {@link decodeData} does with a message whose data fails validation:
 * - `'error'` (default): error the stream with an {@link HmbInvalidDataError}, which stops the
 *   pipeline: data that breaks its contract is a bug to see, not to skip;
 * - `'drop'`: skip the message silently;
 * - a function: skip the message after telling the function (to log or count it).
 *
 * @example
 * ```ts
 * const logAndSkip: HmbOnInvalid = (err, m) => console.warn(`skipped ${m.queue}#${m.seq}: ${err.message}`);
 * ```
 */
export type HmbOnInvalid =
  'error' | 'drop' | ((error: HmbInvalidDataError, message: HmbMessage<unknown>) => void);

/**
 * Options of {@link decodeData}.
 *
 * @example
 * ```ts
 * const options: HmbDecodeDataOptions = { onInvalid: 'drop' };
 * ```
 */
export interface HmbDecodeDataOptions {
  /** See {@link HmbOnInvalid}. Default `'error'`. */
  readonly onInvalid?: HmbOnInvalid;
}

/**
 * Validates each message's data and types it: with a type guard, a parse function, or a schema
 * object with `parse` (such as a zod schema). A parse function's result replaces the data (so
 * schema transforms and defaults apply); a guard keeps the data as it was.
 *
 * A message fails when the guard returns false or the parser throws. It then becomes an
 * {@link HmbInvalidDataError} (code `HMB_ERR_INVALID_DATA`) naming the queue and seq (and the bus, for
 * messages from `mergeBuses`), with the parser's error in `cause`; `onInvalid` decides whether that
 * errors the stream (default) or the message is dropped.
 *
 * A function is told apart from a guard by what it returns: `true` and `false` are a guard's
 * verdict, anything else is a parsed value. A parse function whose valid result may be `false`
 * must therefore be passed as a schema object: `decodeData({ parse: myParse })`.
 *
 * Note: `classifyHmbError` counts `HMB_ERR_INVALID_DATA` as transient (it was made for corrupt frames),
 * so do not put `retryWithBackoff` below this operator: retrying cannot make bad data valid.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { HmbClient, decodeData } from 'hmb-rx';
 * const Alert = z.object({ eventId: z.string(), magnitude: z.number() });
 * const client = new HmbClient('http://127.0.0.1:8000/seismo');
 * client
 *   .subscribe({ queue: { SYSTEM_ALERT: {} } })
 *   .pipe(decodeData(Alert, { onInvalid: (err) => console.warn(err.queue, err.seq, err.message) }))
 *   .subscribe((m) => console.log(m.data.eventId, m.data.magnitude)); // m.data: { eventId: string; magnitude: number }
 * ```
 * @param validate - a type guard, a parse function or a schema object with `parse`.
 * @param options - see {@link HmbDecodeDataOptions}.
 * @returns an operator from messages to messages with validated data.
 */
export function decodeData<T, M extends HmbMessage<unknown> = HmbMessage<unknown>>(
  validate: HmbDataValidator<T>,
  options: HmbDecodeDataOptions = {},
): OperatorFunction<M, HmbDecoded<M, T>> {
  const onInvalid = options.onInvalid ?? 'error';
  const check = validatorFunction(validate);
  return (source) =>
    new Observable<HmbDecoded<M, T>>((subscriber) =>
      source.subscribe({
        next: (message) => {
          let verdict: Verdict<T>;
          try {
            verdict = check(message.data);
          } catch (cause) {
            verdict = { valid: false, cause };
          }
          if (verdict.valid) {
            subscriber.next({ ...message, data: verdict.data } as HmbDecoded<M, T>);
            return;
          }
          const error = decodeError(message, verdict.cause);
          if (onInvalid === 'error') subscriber.error(error);
          else if (onInvalid !== 'drop') onInvalid(error, message);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      }),
    );
}

type Verdict<T> =
  { readonly valid: true; readonly data: T } | { readonly valid: false; readonly cause?: unknown };

function validatorFunction<T>(validate: HmbDataValidator<T>): (data: unknown) => Verdict<T> {
  if (typeof validate !== 'function') {
    // Called as a method: schema libraries' parse needs its `this`.
    return (data) => ({ valid: true, data: validate.parse(data) });
  }
  return (data) => {
    const result: unknown = validate(data);
    if (result === true) return { valid: true, data: data as T };
    if (result === false) return { valid: false };
    return { valid: true, data: result as T };
  };
}

function decodeError(message: HmbMessage<unknown>, cause: unknown): HmbInvalidDataError {
  const bus = (message as { readonly bus?: unknown }).bus;
  const why =
    cause === undefined
      ? 'rejected by the type guard'
      : cause instanceof Error
        ? cause.message
        : String(cause);
  return new HmbInvalidDataError(
    `invalid data in ${message.type} message ${message.queue}#${message.seq}${typeof bus === 'string' ? ` from ${bus}` : ''}: ${why}`,
    {
      queue: message.queue,
      seq: message.seq,
      ...(typeof bus === 'string' ? { bus } : {}),
      ...(cause === undefined ? {} : { cause }),
    },
  );
}
