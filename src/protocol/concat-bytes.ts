/**
 * Byte arrays back to back in one, `total` bytes long (their summed length); the one array itself
 * when there is only one, so a body of one part is not copied.
 */
export function concatBytes(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
