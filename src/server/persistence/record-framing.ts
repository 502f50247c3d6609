import { crc32 } from 'node:zlib';

/** Bytes before each record's payload: its length and its CRC-32, both uint32 little-endian. */
export const RECORD_HEADER_BYTES = 8;
/** A length beyond this cannot be a record we wrote (a torn or corrupt header). */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;

/** Frames a payload as one log record: length, CRC-32, payload. */
export function frameRecord(payload: Buffer): Buffer {
  const record = Buffer.allocUnsafe(RECORD_HEADER_BYTES + payload.length);
  record.writeUInt32LE(payload.length, 0);
  record.writeUInt32LE(crc32(payload), 4);
  payload.copy(record, RECORD_HEADER_BYTES);
  return record;
}

/** What {@link scanRecords} found in a log file. */
export interface ScanResult {
  /** The payloads of every good record, in order. */
  readonly payloads: Buffer[];
  /** Bytes up to the end of the last good record. */
  readonly goodBytes: number;
  /** Why reading stopped before the end, if it did. */
  readonly problem: string | undefined;
}

/**
 * Reads records until the first one that is torn (too few bytes) or corrupt (impossible length,
 * CRC mismatch). Everything from there on is reported as bad: after a crash only the tail can be
 * torn, and a record is never loaded as garbage.
 */
export function scanRecords(data: Buffer): ScanResult {
  const payloads: Buffer[] = [];
  let p = 0;
  while (p < data.length) {
    if (data.length - p < RECORD_HEADER_BYTES)
      return { payloads, goodBytes: p, problem: 'torn record header' };
    const len = data.readUInt32LE(p);
    if (len > MAX_RECORD_BYTES)
      return { payloads, goodBytes: p, problem: 'impossible record length' };
    const end = p + RECORD_HEADER_BYTES + len;
    if (end > data.length) return { payloads, goodBytes: p, problem: 'torn record' };
    const payload = data.subarray(p + RECORD_HEADER_BYTES, end);
    if (crc32(payload) !== data.readUInt32LE(p + 4))
      return { payloads, goodBytes: p, problem: 'CRC mismatch' };
    payloads.push(payload);
    p = end;
  }
  return { payloads, goodBytes: p, problem: undefined };
}
