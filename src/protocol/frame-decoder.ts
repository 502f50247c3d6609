import { HmbTooLargeError } from '../errors/too-large-error';
import type { HmbFrame } from './message';

/**
 * An incremental decoder of a /recv or /stream body: feed it the body's chunks as they arrive,
 * whatever their boundaries, and it returns the frames that became complete. Cost is linear in the
 * bytes received; memory holds at most one incomplete message.
 */
export interface HmbFrameDecoder {
  /**
   * Takes the next chunk and returns the frames completed by it (possibly none).
   *
   * @throws HmbDecodeError on a corrupt frame; the decoder is unusable afterwards.
   */
  push(chunk: Uint8Array): HmbFrame[];
  /**
   * Declares the body finished.
   *
   * @throws HmbDecodeError when it ended inside a frame (a truncated message).
   */
  end(): void;
  /** Bytes received but not yet part of a complete frame. */
  readonly pendingBytes: number;
}

/** Options of the frame decoders. */
export interface HmbFrameDecoderOptions {
  /**
   * The most one frame may take while it is incomplete: bytes for BSON, characters for JSON.
   * Past it, `push` throws `HmbTooLargeError` (an endless frame from a hostile server cannot fill
   * the memory). Default: no bound beyond the format's own (16 MiB for a BSON document).
   */
  readonly maxFrameBytes?: number;
}

/** The error for a frame that passed `limit`. */
export function frameTooLarge(
  limit: number,
  at: number,
  unit: 'bytes' | 'characters',
): HmbTooLargeError {
  return new HmbTooLargeError(
    `a frame at ${unit === 'bytes' ? 'byte' : 'character'} ${at} is larger than ${limit} ${unit} (maxFrameBytes)`,
    limit,
    'frame',
  );
}
