// The messages of the protocol notes' measurements (§13), and /send bodies made of them.
import { serialize } from 'bson';
import type { Format } from './raw-http';

/** Message sizes: "small" is the notes' 97-byte message, "1KiB" its 1022-byte variant. */
export type PayloadSize = 'small' | '1KiB';

/** Padding per size: `{"type":"T","queue":"PJ","topic":"X","data":{"i":N,"pad":"x"*P}}`. */
export const PAD: Readonly<Record<PayloadSize, number>> = {
  // 97 bytes of compact JSON with a 5-digit i (104 as BSON).
  small: 32,
  // 1022 bytes of compact JSON with a 5-digit i (1029 as BSON).
  '1KiB': 32 + (1022 - 97),
};

/** A message to publish. */
export interface BenchMessage {
  type: string;
  queue: string;
  topic: string;
  data: { i: number; pad: string; t?: number };
}

const pads = new Map<number, string>();

/** The notes' message: `{"type":"T","queue":queue,"topic":"X","data":{"i":i,"pad":"x"*pad}}`. */
export function benchMessage(queue: string, i: number, pad: number): BenchMessage {
  let p = pads.get(pad);
  if (p === undefined) pads.set(pad, (p = 'x'.repeat(pad)));
  return { type: 'T', queue, topic: 'X', data: { i, pad: p } };
}

/** A JSON /send body of messages `first`…`first + count − 1`. */
export function jsonSendBody(queue: string, first: number, count: number, pad: number): Buffer {
  const list: Record<string, unknown> = {};
  for (let k = 0; k < count; k++) list[k] = benchMessage(queue, first + k, pad);
  return Buffer.from(JSON.stringify(list));
}

/**
 * The /send body a hand-written sender builds for `messages[first..first+count)`: `JSON.stringify`
 * of the batch object, or `BSON.serialize` of each message and one concat.
 */
export function encodeSendBody(
  format: Format,
  messages: readonly BenchMessage[],
  first: number,
  count: number,
): string | Buffer {
  if (format === 'json') {
    const list: Record<number, BenchMessage> = {};
    for (let k = 0; k < count; k++) list[k] = messages[first + k]!;
    return JSON.stringify(list);
  }
  const docs: Uint8Array[] = [];
  for (let k = 0; k < count; k++) docs.push(serialize(messages[first + k]!));
  return Buffer.concat(docs);
}
