/**
 * Which of `names` (each the bytes of an ASCII element name) the bytes `from`..`to` of a BSON
 * document spell, or -1. Reading an element name this way costs no string: the client's envelope
 * reader and the server's document reader both look up a handful of known field names per element.
 */
export function bsonNameIndex(
  bytes: Uint8Array,
  from: number,
  to: number,
  names: readonly ArrayLike<number>[],
): number {
  const length = to - from;
  for (let k = 0; k < names.length; k++) {
    const name = names[k]!;
    if (name.length !== length) continue;
    let i = 0;
    while (i < length && bytes[from + i] === name[i]) i++;
    if (i === length) return k;
  }
  return -1;
}
