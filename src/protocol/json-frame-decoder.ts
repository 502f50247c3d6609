import { HmbDecodeError } from '../errors/decode-error';
import type { HmbFrameDecoder } from './frame-decoder';
import type { HmbFrame } from './message';
import { frameFromWire } from './wire-message';

const Scan = {
  start: 0,
  keyOrEnd: 1,
  key: 2,
  colon: 3,
  valueStart: 4,
  value: 5,
  afterValue: 6,
  keyStart: 7,
  done: 8,
} as const;
type State = (typeof Scan)[keyof typeof Scan];

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Decodes the JSON framing of /recv and /stream incrementally: one object `{"0":{…},"1":{…},…}`
 * that, on a stream, never ends (or ends with `}` after EOF). Chunks may be cut anywhere, even
 * inside a UTF-8 character. Each byte is scanned once: the scanner only tracks nesting and string
 * state to find where each message ends, then hands that message's text to `JSON.parse`. A message
 * that spans chunks is kept as a list of pieces and joined once, so a large message arriving in
 * many small chunks costs no re-copying.
 *
 * @example
 * ```ts
 * const decoder = new JsonFrameDecoder();
 * for await (const chunk of body) for (const frame of decoder.push(chunk)) handle(frame);
 * decoder.end();
 * ```
 */
export class JsonFrameDecoder implements HmbFrameDecoder {
  private readonly utf8 = new TextDecoder('utf-8', { fatal: false });
  private state: State = Scan.start;
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Pieces of the message being read, from earlier chunks. */
  private pieces: string[] = [];
  private piecesLength = 0;
  private offset = 0;

  get pendingBytes(): number {
    return this.piecesLength;
  }

  /** True once the closing `}` of the list has been read. */
  get complete(): boolean {
    return this.state === Scan.done;
  }

  push(chunk: Uint8Array): HmbFrame[] {
    const text = this.utf8.decode(chunk, { stream: true });
    return this.scan(text);
  }

  end(): void {
    this.scan(this.utf8.decode());
    if (this.state === Scan.value || this.state === Scan.key || this.state === Scan.colon) {
      throw new HmbDecodeError(
        `truncated JSON frame at character ${this.offset}: the body ended inside a message`,
      );
    }
    if (this.state !== Scan.done) {
      throw new HmbDecodeError(
        `unterminated JSON message list at character ${this.offset}: the body ended before "}"`,
      );
    }
  }

  private scan(text: string): HmbFrame[] {
    const frames: HmbFrame[] = [];
    let valueStart = this.state === Scan.value ? 0 : -1;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      switch (this.state) {
        case Scan.value:
          if (this.inString) {
            if (this.escaped) this.escaped = false;
            else if (c === BACKSLASH) this.escaped = true;
            else if (c === QUOTE) this.inString = false;
          } else if (c === QUOTE) {
            this.inString = true;
          } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
            this.depth++;
          } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
            if (--this.depth === 0) {
              frames.push(this.finishValue(text.slice(valueStart, i + 1)));
              valueStart = -1;
              this.state = Scan.afterValue;
            }
          }
          break;
        case Scan.key:
          if (this.escaped) this.escaped = false;
          else if (c === BACKSLASH) this.escaped = true;
          else if (c === QUOTE) this.state = Scan.colon;
          break;
        case Scan.start:
          if (c === OPEN_BRACE) this.state = Scan.keyOrEnd;
          else if (!isSpace(c)) this.fail(c, i, 'the start of a message list "{"');
          break;
        case Scan.keyOrEnd:
          if (c === QUOTE) this.state = Scan.key;
          else if (c === CLOSE_BRACE) this.state = Scan.done;
          else if (!isSpace(c)) this.fail(c, i, 'a key or "}"');
          break;
        case Scan.keyStart:
          if (c === QUOTE) this.state = Scan.key;
          else if (!isSpace(c)) this.fail(c, i, 'a key');
          break;
        case Scan.colon:
          if (c === COLON) this.state = Scan.valueStart;
          else if (!isSpace(c)) this.fail(c, i, '":"');
          break;
        case Scan.valueStart:
          if (c === OPEN_BRACE) {
            this.state = Scan.value;
            this.depth = 1;
            this.inString = false;
            this.escaped = false;
            valueStart = i;
          } else if (!isSpace(c)) {
            this.fail(c, i, 'a message object "{"');
          }
          break;
        case Scan.afterValue:
          if (c === COMMA) this.state = Scan.keyStart;
          else if (c === CLOSE_BRACE) this.state = Scan.done;
          else if (!isSpace(c)) this.fail(c, i, '"," or "}"');
          break;
        default:
          if (!isSpace(c)) this.fail(c, i, 'nothing after the closing "}"');
      }
    }
    if (this.state === Scan.value && valueStart >= 0) {
      const piece = text.slice(valueStart);
      this.pieces.push(piece);
      this.piecesLength += piece.length;
    }
    this.offset += n;
    return frames;
  }

  private finishValue(last: string): HmbFrame {
    let json = last;
    if (this.pieces.length > 0) {
      this.pieces.push(last);
      json = this.pieces.join('');
      this.pieces = [];
      this.piecesLength = 0;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (cause) {
      throw new HmbDecodeError(`corrupt JSON message: ${(cause as Error).message}`, {
        cause,
        body: json.length > 200 ? `${json.slice(0, 200)}…` : json,
      });
    }
    return frameFromWire(parsed);
  }

  private fail(c: number, i: number, expected: string): never {
    throw new HmbDecodeError(
      `corrupt JSON message list at character ${this.offset + i}: expected ${expected}, got ${JSON.stringify(String.fromCharCode(c))}`,
    );
  }
}
