/** A session's wire format, fixed at /open. */
export type SessionFormat = 'JSON' | 'BSON';

/**
 * Assembles the body of one /recv answer or one /stream burst. JSON frames form one object with
 * keys counting from 0 (`{"0":…,"1":…}`); on a stream the keys and the open brace carry over from
 * burst to burst, so later bursts start with a comma. BSON frames are documents back to back.
 */
export class BurstBuilder {
  private frames: Buffer[] = [];
  /** Body bytes so far, the `{"n":` / `,"n":` key prefixes of a JSON body included. */
  private bytes = 0;
  /** Key of the first frame not yet taken, and whether the object was opened before it. */
  private takeKey: number;
  private takeOpened: boolean;

  constructor(
    readonly format: SessionFormat,
    private key = 0,
    private opened = false,
  ) {
    this.takeKey = key;
    this.takeOpened = opened;
  }

  /** Bytes added since the last {@link take}. */
  get size(): number {
    return this.bytes;
  }

  /** Frames added since the last {@link take}. */
  get count(): number {
    return this.frames.length;
  }

  /** Adds one encoded frame (a message, HEARTBEAT or EOF in the session's format). */
  add(frame: Buffer): void {
    this.frames.push(frame);
    // A JSON frame is preceded by `{"n":` or `,"n":`: 4 bytes plus the digits of its key.
    this.bytes +=
      this.format === 'JSON' ? frame.length + 4 + String(this.key++).length : frame.length;
    this.opened = true;
  }

  /**
   * Returns the bytes added so far in one buffer, closing the JSON object when `close` is set.
   * The key prefixes are written straight into that buffer, so a burst costs one allocation.
   */
  take(close: boolean): Buffer {
    const json = this.format === 'JSON';
    const closing = close && json ? (this.opened ? 1 : 2) : 0;
    const body = Buffer.allocUnsafe(this.bytes + closing);
    let pos = 0;
    let key = this.takeKey;
    let opened = this.takeOpened;
    for (const frame of this.frames) {
      if (json) {
        pos += body.write(`${opened ? ',' : '{'}"${key++}":`, pos, 'latin1');
        opened = true;
      }
      pos += frame.copy(body, pos);
    }
    if (closing === 2) body[pos++] = 0x7b;
    if (closing > 0) body[pos++] = 0x7d;
    this.frames = [];
    this.bytes = 0;
    this.takeKey = this.key;
    this.takeOpened = this.opened;
    return body;
  }
}
