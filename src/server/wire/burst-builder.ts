/** A session's wire format, fixed at /open. */
export type SessionFormat = 'JSON' | 'BSON';

/**
 * Assembles the body of one /recv answer or one /stream burst. JSON frames form one object with
 * keys counting from 0 (`{"0":…,"1":…}`); on a stream the keys and the open brace carry over from
 * burst to burst, so later bursts start with a comma. BSON frames are documents back to back.
 */
export class BurstBuilder {
  private parts: Buffer[] = [];
  private bytes = 0;
  private opened: boolean;

  constructor(
    readonly format: SessionFormat,
    private key = 0,
    opened = false,
  ) {
    this.opened = opened;
  }

  /** Bytes added since the last {@link take}. */
  get size(): number {
    return this.bytes;
  }

  /** Frames added since the last {@link take}. */
  get count(): number {
    return this.format === 'JSON' ? this.parts.length / 2 : this.parts.length;
  }

  /** Adds one encoded frame (a message, HEARTBEAT or EOF in the session's format). */
  add(frame: Buffer): void {
    if (this.format === 'JSON') {
      const prefix = Buffer.from(`${this.opened ? ',' : '{'}"${this.key++}":`, 'latin1');
      this.opened = true;
      this.parts.push(prefix, frame);
      this.bytes += prefix.length + frame.length;
    } else {
      this.parts.push(frame);
      this.bytes += frame.length;
    }
  }

  /** Returns the bytes added so far, closing the JSON object when `close` is set. */
  take(close: boolean): Buffer {
    if (close && this.format === 'JSON') {
      if (!this.opened) this.parts.push(Buffer.from('{'));
      this.parts.push(Buffer.from('}'));
      this.bytes += this.opened ? 1 : 2;
    }
    const body = Buffer.concat(this.parts, this.bytes);
    this.parts = [];
    this.bytes = 0;
    return body;
  }
}
