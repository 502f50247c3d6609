import { HmbDecodeError } from '../errors/decode-error';
import { frameTooLarge, type HmbFrameDecoder, type HmbFrameDecoderOptions } from './frame-decoder';
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

const STREAM = { stream: true } as const;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Whether the backslashes just before `end` (not looking before `from`) are odd in number. */
function oddBackslashes(text: string, from: number, end: number): boolean {
  let p = end - 1;
  while (p >= from && text.charCodeAt(p) === BACKSLASH) p--;
  return ((end - 1 - p) & 1) === 1;
}

/**
 * Decodes the JSON framing of /recv and /stream incrementally: one object `{"0":{…},"1":{…},…}`
 * that, on a stream, never ends (or ends with `}` after EOF). Chunks may be cut anywhere, even
 * inside a UTF-8 character. The scanner only tracks nesting and string state to find where each
 * message ends (jumping over the inside of strings with `indexOf`, so a long string costs little),
 * then hands the texts of the messages that end in a chunk to one `JSON.parse` (as an array: one
 * call per chunk costs less than one per message). A message that spans chunks is kept as a list of
 * pieces and joined once, so a large message arriving in many small chunks costs no re-copying.
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
  /** Stream offset (characters) where the message being read began, for errors. */
  private valueOffset = 0;
  private readonly maxFrameChars: number;

  constructor(options: HmbFrameDecoderOptions = {}) {
    this.maxFrameChars = options.maxFrameBytes ?? Infinity;
  }

  get pendingBytes(): number {
    return this.piecesLength;
  }

  /** True once the closing `}` of the list has been read. */
  get complete(): boolean {
    return this.state === Scan.done;
  }

  push(chunk: Uint8Array): HmbFrame[] {
    return this.scan(this.utf8.decode(chunk, STREAM));
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
    // The state lives in locals while the loop runs: it is read for every character.
    let state: State = this.state;
    let depth = this.depth;
    let inString = this.inString;
    let escaped = this.escaped;
    let valueStart = state === Scan.value ? 0 : -1;
    // The texts of the messages that end in this chunk, parsed together at the end of it: one
    // JSON.parse of a small array costs less than one per message.
    const values: string[] = [];
    const n = text.length;
    let i = 0;
    while (i < n) {
      if (state === Scan.value) {
        if (inString) {
          if (escaped) {
            escaped = false;
            i++;
            continue;
          }
          const quote = text.indexOf('"', i);
          if (quote < 0) {
            escaped = oddBackslashes(text, i, n);
            i = n;
          } else {
            inString = oddBackslashes(text, i, quote);
            i = quote + 1;
          }
          continue;
        }
        const c = text.charCodeAt(i);
        if (c === QUOTE) {
          inString = true;
        } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
          depth++;
        } else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) {
          values.push(this.takeValue(text.slice(valueStart, i + 1)));
          valueStart = -1;
          state = Scan.afterValue;
        }
        i++;
        continue;
      }
      const c = text.charCodeAt(i);
      switch (state) {
        case Scan.key:
          if (escaped) escaped = false;
          else if (c === BACKSLASH) escaped = true;
          else if (c === QUOTE) state = Scan.colon;
          break;
        case Scan.start:
          if (c === OPEN_BRACE) state = Scan.keyOrEnd;
          else if (!isSpace(c)) this.fail(c, i, 'the start of a message list "{"');
          break;
        case Scan.keyOrEnd:
          if (c === QUOTE) state = Scan.key;
          else if (c === CLOSE_BRACE) state = Scan.done;
          else if (!isSpace(c)) this.fail(c, i, 'a key or "}"');
          break;
        case Scan.keyStart:
          if (c === QUOTE) state = Scan.key;
          else if (!isSpace(c)) this.fail(c, i, 'a key');
          break;
        case Scan.colon:
          if (c === COLON) state = Scan.valueStart;
          else if (!isSpace(c)) this.fail(c, i, '":"');
          break;
        case Scan.valueStart:
          if (c === OPEN_BRACE) {
            state = Scan.value;
            depth = 1;
            inString = false;
            escaped = false;
            valueStart = i;
          } else if (!isSpace(c)) {
            this.fail(c, i, 'a message object "{"');
          }
          break;
        case Scan.afterValue:
          if (c === COMMA) state = Scan.keyStart;
          else if (c === CLOSE_BRACE) state = Scan.done;
          else if (!isSpace(c)) this.fail(c, i, '"," or "}"');
          break;
        default:
          if (!isSpace(c)) this.fail(c, i, 'nothing after the closing "}"');
      }
      i++;
    }
    if (state === Scan.value && valueStart >= 0) {
      if (valueStart > 0 || this.pieces.length === 0) this.valueOffset = this.offset + valueStart;
      const piece = text.slice(valueStart);
      this.pieces.push(piece);
      this.piecesLength += piece.length;
      // Checked once per chunk: a message that never ends (a hostile server) stops here.
      if (this.piecesLength > this.maxFrameChars) {
        this.pieces = [];
        this.piecesLength = 0;
        throw frameTooLarge(this.maxFrameChars, this.valueOffset, 'characters');
      }
    }
    this.state = state;
    this.depth = depth;
    this.inString = inString;
    this.escaped = escaped;
    this.offset += n;
    return framesOf(values);
  }

  /** The whole text of a message that ends in this chunk: earlier pieces joined with `last`. */
  private takeValue(last: string): string {
    if (this.pieces.length === 0) return last;
    this.pieces.push(last);
    const json = this.pieces.join('');
    this.pieces = [];
    this.piecesLength = 0;
    return json;
  }

  private fail(c: number, i: number, expected: string): never {
    throw new HmbDecodeError(
      `corrupt JSON message list at character ${this.offset + i}: expected ${expected}, got ${JSON.stringify(String.fromCharCode(c))}`,
    );
  }
}

function framesOf(values: readonly string[]): HmbFrame[] {
  if (values.length === 0) return [];
  if (values.length === 1) return [frameFromWire(parseMessage(values[0]!))];
  const parsed = parseMessage(`[${values.join(',')}]`) as unknown[];
  const frames: HmbFrame[] = new Array<HmbFrame>(parsed.length);
  for (let k = 0; k < parsed.length; k++) frames[k] = frameFromWire(parsed[k]);
  return frames;
}

function parseMessage(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch (cause) {
    throw new HmbDecodeError(`corrupt JSON message: ${(cause as Error).message}`, {
      cause,
      body: json.length > 200 ? `${json.slice(0, 200)}…` : json,
    });
  }
}
