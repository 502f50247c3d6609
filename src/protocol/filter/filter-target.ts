/**
 * The part of a message a filter can see. Only `type`, `sender` and `data` can ever match (as on
 * the original server, where `queue`, `topic` and `seq` are not reachable from a filter), so both an
 * {@link HmbMessage} and a message the server is about to store fit this shape.
 *
 * @example
 * ```ts
 * import { compileFilter, type HmbFilterTarget } from 'hmb-rx';
 * const target: HmbFilterTarget = { type: 'PICK', sender: 'station-7', data: { magnitude: 5.1 } };
 * compileFilter({ 'data.magnitude': { $gte: 5 } })(target); // true
 * ```
 */
export interface HmbFilterTarget {
  /** The message type. */
  readonly type: string;
  /** The cid of the sending session. A missing sender reads as `""`, as on the original server. */
  readonly sender?: string;
  /** The payload: a document, a string, an array, or absent. */
  readonly data?: unknown;
}

/**
 * A compiled filter: tells whether a message passes. Pure and cheap; call it once per message.
 *
 * @example
 * ```ts
 * import { compileFilter, type HmbFilterPredicate } from 'hmb-rx';
 * const isA: HmbFilterPredicate = compileFilter({ type: 'A' });
 * isA({ type: 'A' }); // true
 * ```
 */
export type HmbFilterPredicate = (message: HmbFilterTarget) => boolean;
