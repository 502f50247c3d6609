// The original server's figures from the protocol notes (§13): a 2-core machine like ours, client
// Python 3.11 http.client on the same machine, 100,000 messages. Lower bounds; runs varied ±20%.

/** msg/s as [low, high]. */
export type Range = readonly [number, number];

/** Receiving 100,000 messages, the client decoding them (notes §13). */
export const ORIGINAL_RECEIVE: Readonly<Record<string, Range>> = {
  'poll JSON small': [72_000, 83_000],
  'poll JSON 1KiB': [20_000, 20_000],
  'poll BSON small': [140_000, 203_000],
  'poll BSON 1KiB': [82_000, 82_000],
  'stream JSON small': [79_000, 79_000],
  'stream JSON 1KiB': [24_000, 24_000],
  'stream BSON small': [120_000, 120_000],
  'stream BSON 1KiB': [48_000, 48_000],
};

/** Sending 100,000 messages (notes §13). */
export const ORIGINAL_SEND: Readonly<Record<string, Range>> = {
  'JSON ×100': [99_000, 123_000],
  'BSON ×100': [122_000, 151_000],
  'JSON ×1': [5_400, 5_400],
};

/** A range as text: `72,000–83,000` or `20,000`. */
export function rangeText(range: Range | undefined): string {
  if (range === undefined) return '–';
  const [lo, hi] = range;
  return lo === hi
    ? lo.toLocaleString('en')
    : `${lo.toLocaleString('en')}–${hi.toLocaleString('en')}`;
}
