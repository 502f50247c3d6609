import { ByteUtils } from 'bson';
import { HmbDecodeError } from '../errors/decode-error';
import { MAX_BSON_DOCUMENT_BYTES } from './bson-framing';
import { frameFromBson } from './bson-envelope';
import { frameTooLarge, type HmbFrameDecoder, type HmbFrameDecoderOptions } from './frame-decoder';
import type { HmbFrame } from './message';

/**
 * Decodes BSON documents back to back (the BSON /recv and /stream framing) from chunks cut
 * anywhere. A document that lies inside one chunk is read in place; only one that straddles chunks
 * is copied, once, when it is complete. The length prefix is checked before waiting for the body,
 * so a corrupt prefix fails at once rather than waiting for 16 MiB that will never come.
 *
 * @example
 * ```ts
 * const decoder = new BsonFrameDecoder();
 * for await (const chunk of body) for (const frame of decoder.push(chunk)) handle(frame);
 * decoder.end();
 * ```
 */
export class BsonFrameDecoder implements HmbFrameDecoder {
  private chunks: Uint8Array[] = [];
  /** Offset of the first unread byte in chunks[0]. */
  private headOffset = 0;
  private buffered = 0;
  /** Stream offset of the first unread byte, for error messages. */
  private consumed = 0;
  private readonly maxFrameBytes: number;

  constructor(options: HmbFrameDecoderOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? Infinity;
  }

  get pendingBytes(): number {
    return this.buffered;
  }

  push(chunk: Uint8Array): HmbFrame[] {
    if (chunk.length === 0) return [];
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: HmbFrame[] = [];
    while (this.buffered >= 4) {
      const length = this.peekLength();
      if (length < 5 || length > MAX_BSON_DOCUMENT_BYTES) {
        throw new HmbDecodeError(
          `corrupt BSON frame at byte ${this.consumed}: length prefix ${length}`,
        );
      }
      // The prefix announces the size: a frame over the limit fails before its body is awaited.
      if (length > this.maxFrameBytes)
        throw frameTooLarge(this.maxFrameBytes, this.consumed, 'bytes');
      if (this.buffered < length) break;
      const doc = this.take(length);
      frames.push(frameFromBson(doc, this.consumed));
      this.consumed += length;
    }
    return frames;
  }

  end(): void {
    if (this.buffered > 0) {
      throw new HmbDecodeError(
        `truncated BSON frame at byte ${this.consumed}: the body ended ${this.buffered} bytes into a document`,
      );
    }
  }

  private peekLength(): number {
    let value = 0;
    let chunkIndex = 0;
    let offset = this.headOffset;
    for (let i = 0; i < 4; i++) {
      let chunk = this.chunks[chunkIndex]!;
      while (offset >= chunk.length) {
        chunk = this.chunks[++chunkIndex]!;
        offset = 0;
      }
      value |= chunk[offset++]! << (8 * i);
    }
    return value;
  }

  private take(length: number): Uint8Array {
    const head = this.chunks[0]!;
    let out: Uint8Array;
    if (head.length - this.headOffset >= length) {
      out = head.subarray(this.headOffset, this.headOffset + length);
      this.headOffset += length;
    } else {
      // A Buffer in Node (js-bson would otherwise make a Buffer view of a plain Uint8Array).
      out = ByteUtils.allocateUnsafe(length);
      let filled = 0;
      while (filled < length) {
        const chunk = this.chunks[0]!;
        const n = Math.min(chunk.length - this.headOffset, length - filled);
        out.set(chunk.subarray(this.headOffset, this.headOffset + n), filled);
        filled += n;
        this.headOffset += n;
        if (this.headOffset === chunk.length) {
          this.chunks.shift();
          this.headOffset = 0;
        }
      }
    }
    if (this.chunks.length > 0 && this.headOffset === this.chunks[0]!.length) {
      this.chunks.shift();
      this.headOffset = 0;
    }
    this.buffered -= length;
    return out;
  }
}
