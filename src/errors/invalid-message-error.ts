import { HmbError, type HmbErrorOptions } from './hmb-error';

/** Options of {@link HmbInvalidMessageError}: the common ones and the path of a refused value. */
export interface HmbInvalidMessageErrorOptions extends HmbErrorOptions {
  /** The path of the refused value in the message, e.g. `data.content` or `data.picks.2.time`. */
  readonly path?: string;
}

/**
 * A message to be sent is invalid (type missing, empty or reserved, queue missing, topic with
 * characters the server refuses, data that cannot be encoded as docs/data-types.md says). It is
 * refused before anything is sent; `outgoing` is the message itself, `reason` says what is wrong
 * with it and, for a refused data value, `path` says where it is.
 */
export class HmbInvalidMessageError extends HmbError {
  override readonly code = 'HMB_ERR_INVALID_MESSAGE' as const;

  /** Always `'HmbInvalidMessageError'`: a literal, so that minified bundles keep it. */
  override get name(): string {
    return 'HmbInvalidMessageError';
  }
  /** The refused message, as it was given. */
  readonly outgoing: unknown;
  /** What is wrong with it, e.g. `type is reserved: HEARTBEAT`. */
  readonly reason: string;
  /** Where the refused value is (`data.content`), when a data value was refused. */
  declare readonly path?: string;

  constructor(reason: string, outgoing: unknown, options: HmbInvalidMessageErrorOptions = {}) {
    super(`invalid message${describeOutgoing(outgoing)}: ${reason}`, options);
    this.reason = reason;
    this.outgoing = outgoing;
  }
}

/** ` (type "T", queue "Q")`, as far as the message says; nothing for something that is no message. */
function describeOutgoing(outgoing: unknown): string {
  if (typeof outgoing !== 'object' || outgoing === null) return '';
  const { type, queue } = outgoing as { type?: unknown; queue?: unknown };
  const parts: string[] = [];
  if (typeof type === 'string' && type !== '') parts.push(`type ${JSON.stringify(type)}`);
  if (typeof queue === 'string' && queue !== '') parts.push(`queue ${JSON.stringify(queue)}`);
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}
