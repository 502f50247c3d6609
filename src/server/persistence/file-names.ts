import { createHash } from 'node:crypto';

/** Longest encoded name used as is; longer names are hashed (file names stop at 255 bytes). */
const MAX_PLAIN_NAME_CHARS = 200;

/**
 * A file-system-safe name for any bus or queue name: lowercase hex of its UTF-8 bytes (safe on
 * case-insensitive file systems too), or `h-` and a SHA-256 when that would be too long. The real
 * name is also stored inside (bus-name file, log header), so a hashed name loses nothing.
 */
export function safeFileName(name: string): string {
  const hex = Buffer.from(name, 'utf8').toString('hex');
  if (hex.length <= MAX_PLAIN_NAME_CHARS) return `x-${hex}`;
  return `h-${createHash('sha256').update(name, 'utf8').digest('hex')}`;
}
