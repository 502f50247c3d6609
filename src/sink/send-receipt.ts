/**
 * What a one-shot `send()` / `sendMsg()` resolves to once the server confirmed every message.
 *
 * @example
 * ```ts
 * const receipt: HmbSendReceipt = await client.sendMsg('TEST', 'myqueue', { field1: 'value1' });
 * // { sent: 1, uncertain: 0, batches: 1, sid: 'QmFzZTY0U2Vzc2lvbg' }
 * ```
 */
export interface HmbSendReceipt {
  /** Messages the server confirmed (all of them: otherwise the promise rejects). */
  readonly sent: number;
  /** Of `sent`, how many went out again after a lost answer (possibly on the bus twice). */
  readonly uncertain: number;
  /** Batches the messages went out in (each one /send when nothing had to be retried). */
  readonly batches: number;
  /** The publishing session the last batch went out on (none when there was nothing to send). */
  readonly sid?: string;
}
