import { randomBytes } from 'node:crypto';

/**
 * A session id as the original makes one: 12 bytes (the creation time in microseconds, 8 bytes
 * big-endian, then 4 random bytes) in URL-safe base64, 16 characters, never a `/`.
 */
export function newSid(nowMs = Date.now()): string {
  const bytes = Buffer.allocUnsafe(12);
  bytes.writeBigUInt64BE(BigInt(nowMs) * 1000n + BigInt(Math.floor(Math.random() * 1000)), 0);
  randomBytes(4).copy(bytes, 8);
  return bytes.toString('base64url');
}

/** A client id for a session that asked for none: 16 random URL-safe base64 characters. */
export function newCid(): string {
  return randomBytes(12).toString('base64url');
}
