// zlib (RFC 1950, what Python's zlib.compress writes) through the Compression Streams API, which
// Node (18 and later) and every current browser have as globals: one code path, no Node module in
// the browser entry, no dependency (docs/decisions.md, "EMSC envelope: Compression Streams").

/**
 * Inflates zlib data (RFC 1950).
 *
 * @throws the stream's error (a TypeError) when the data is not zlib or is cut short.
 */
export function inflateZlib(bytes: Uint8Array): Promise<Uint8Array> {
  return pipeThrough(bytes, new DecompressionStream('deflate'));
}

/** Compresses to zlib data (RFC 1950), as Python's `zlib.compress`. */
export function deflateZlib(bytes: Uint8Array): Promise<Uint8Array> {
  return pipeThrough(bytes, new CompressionStream('deflate'));
}

async function pipeThrough(
  bytes: Uint8Array,
  stream: CompressionStream | DecompressionStream,
): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  // Both sides are awaited together, so a failure on either is seen once and never unhandled.
  const [, output] = await Promise.all([
    writer.write(bytes as Uint8Array<ArrayBuffer>).then(() => writer.close()),
    new Response(stream.readable).arrayBuffer(),
  ]);
  return new Uint8Array(output);
}
