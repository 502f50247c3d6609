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
