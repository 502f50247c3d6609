import { goQuoteChar } from './go-quote';
import { MalformedRequest } from './malformed-request';

/**
 * A JSON value as Go's decoder sees it, with the byte span of its text: the original server hands
 * raw tokens to its `Sequence` and `Time` types, so their error texts quote the source, and a JSON
 * `seq` must be an integer literal (`5.0` is refused although it equals 5).
 */
export type GoJsonNode =
  | {
      readonly t: 'obj';
      readonly s: number;
      e: number;
      readonly entries: Array<[string, GoJsonNode]>;
    }
  | { readonly t: 'arr'; readonly s: number; e: number; readonly items: GoJsonNode[] }
  | { readonly t: 'str'; readonly s: number; readonly e: number; readonly value: string }
  | { readonly t: 'num'; readonly s: number; readonly e: number; readonly raw: string }
  | { readonly t: 'bool'; readonly s: number; readonly e: number; readonly value: boolean }
  | { readonly t: 'null'; readonly s: number; readonly e: number };

/** The outcome of {@link parseGoJson}: the first value and where it ends, or Go's error text. */
export type GoJsonParseResult =
  | { readonly ok: true; readonly node: GoJsonNode; readonly end: number }
  | { readonly ok: false; readonly error: string };

/**
 * Nesting refused with Go's `exceeded max depth` text. Go allows 10,000 levels; we allow 1,000 so
 * that every recursive step after decoding (encoders, filters, js-bson) stays far from the
 * JavaScript stack limit (docs/server-differences.md).
 */
export const MAX_NESTING_DEPTH = 1_000;

const enum Ch {
  Tab = 9,
  Lf = 10,
  Cr = 13,
  Space = 32,
  Quote = 34,
  Plus = 43,
  Comma = 44,
  Minus = 45,
  Dot = 46,
  Slash = 47,
  Zero = 48,
  Nine = 57,
  Colon = 58,
  UpperE = 69,
  OpenBracket = 91,
  Backslash = 92,
  CloseBracket = 93,
  LowerE = 101,
  OpenBrace = 123,
  CloseBrace = 125,
}

/** Go's syntax error for an unexpected byte, thrown out of the scanner to {@link parseGoJson}. */
function invalid(byte: number, context: string): MalformedRequest {
  return new MalformedRequest(`invalid character ${goQuoteChar(byte)} ${context}`);
}

const UNEXPECTED_EOF = new MalformedRequest('unexpected EOF');

function isSpace(c: number): boolean {
  return c === Ch.Space || c === Ch.Lf || c === Ch.Cr || c === Ch.Tab;
}

function isDigit(c: number): boolean {
  return c >= Ch.Zero && c <= Ch.Nine;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

type Frame =
  | { readonly kind: 'obj'; readonly node: Extract<GoJsonNode, { t: 'obj' }>; key: string }
  | { readonly kind: 'arr'; readonly node: Extract<GoJsonNode, { t: 'arr' }> };

/**
 * Reads the first JSON value of `buf` the way Go's `json.Decoder.Decode` does: leading white space
 * skipped, text after the value ignored, and every syntax error reported with Go's text
 * (`invalid character 'b' looking for beginning of object key string`, `unexpected EOF`, `EOF` for
 * an empty body). Iterative, so hostile nesting cannot overflow the stack.
 */
export function parseGoJson(buf: Buffer): GoJsonParseResult {
  try {
    return parseOrThrow(buf);
  } catch (err) {
    if (err instanceof MalformedRequest) return { ok: false, error: err.answer };
    throw err;
  }
}

function parseOrThrow(buf: Buffer): GoJsonParseResult {
  const n = buf.length;
  let i = 0;
  const skipSpace = (): void => {
    while (i < n && isSpace(buf[i]!)) i++;
  };
  const at = (): number => {
    if (i >= n) throw UNEXPECTED_EOF;
    return buf[i]!;
  };
  skipSpace();
  if (i >= n) return { ok: false, error: 'EOF' };

  const stack: Frame[] = [];
  let result: GoJsonNode | undefined;

  const scanString = (): string => {
    const start = i;
    i++;
    let escaped = false;
    for (;;) {
      const c = at();
      if (c === Ch.Quote) break;
      if (c === Ch.Backslash) {
        escaped = true;
        i++;
        const e = at();
        if (e === 117 /* u */) {
          for (let k = 0; k < 4; k++) {
            i++;
            const h = at();
            if (!isHex(h)) throw invalid(h, 'in \\u hexadecimal character escape');
          }
        } else if (
          e !== Ch.Quote &&
          e !== Ch.Backslash &&
          e !== Ch.Slash &&
          e !== 98 &&
          e !== 102 &&
          e !== 110 &&
          e !== 114 &&
          e !== 116
        ) {
          throw invalid(e, 'in string escape code');
        }
      } else if (c < 0x20) {
        throw invalid(c, 'in string literal');
      }
      i++;
    }
    i++;
    const text = buf.toString('utf8', start, i);
    return escaped ? (JSON.parse(text) as string) : text.slice(1, -1);
  };

  const scanNumber = (): string => {
    const start = i;
    if (buf[i] === Ch.Minus) {
      i++;
      const c = at();
      if (!isDigit(c)) throw invalid(c, 'in numeric literal');
    }
    if (buf[i] === Ch.Zero) i++;
    else while (i < n && isDigit(buf[i]!)) i++;
    if (i < n && buf[i] === Ch.Dot) {
      i++;
      const c = at();
      if (!isDigit(c)) throw invalid(c, 'after decimal point in numeric literal');
      while (i < n && isDigit(buf[i]!)) i++;
    }
    if (i < n && (buf[i] === Ch.LowerE || buf[i] === Ch.UpperE)) {
      i++;
      let c = at();
      if (c === Ch.Plus || c === Ch.Minus) {
        i++;
        c = at();
      }
      if (!isDigit(c)) throw invalid(c, 'in exponent of numeric literal');
      while (i < n && isDigit(buf[i]!)) i++;
    }
    return buf.toString('latin1', start, i);
  };

  const scanLiteral = (word: string): void => {
    i++;
    for (let k = 1; k < word.length; k++) {
      const c = at();
      if (c !== word.charCodeAt(k)) throw invalid(c, `in literal ${word} (expecting '${word[k]}')`);
      i++;
    }
  };

  const push = (node: GoJsonNode): void => {
    const top = stack[stack.length - 1];
    if (top === undefined) result = node;
    else if (top.kind === 'arr') top.node.items.push(node);
    else top.node.entries.push([top.key, node]);
  };

  const beginKey = (): void => {
    const c = at();
    if (c !== Ch.Quote) throw invalid(c, 'looking for beginning of object key string');
    const top = stack[stack.length - 1] as Extract<Frame, { kind: 'obj' }>;
    top.key = scanString();
    skipSpace();
    const colon = at();
    if (colon !== Ch.Colon) throw invalid(colon, 'after object key');
    i++;
  };

  // Each turn of the loop reads one value, then closes as many containers as end there.
  for (;;) {
    skipSpace();
    const c = at();
    const start = i;
    let container = false;
    switch (c) {
      case Ch.OpenBrace:
      case Ch.OpenBracket: {
        if (stack.length >= MAX_NESTING_DEPTH) throw invalid(c, 'exceeded max depth');
        i++;
        skipSpace();
        const next = at();
        if (c === Ch.OpenBrace) {
          const node: Extract<GoJsonNode, { t: 'obj' }> = {
            t: 'obj',
            s: start,
            e: start,
            entries: [],
          };
          push(node);
          if (next === Ch.CloseBrace) {
            i++;
            node.e = i;
          } else {
            stack.push({ kind: 'obj', node, key: '' });
            beginKey();
            container = true;
          }
        } else {
          const node: Extract<GoJsonNode, { t: 'arr' }> = {
            t: 'arr',
            s: start,
            e: start,
            items: [],
          };
          push(node);
          if (next === Ch.CloseBracket) {
            i++;
            node.e = i;
          } else {
            stack.push({ kind: 'arr', node });
            container = true;
          }
        }
        break;
      }
      case Ch.Quote: {
        const value = scanString();
        push({ t: 'str', s: start, e: i, value });
        break;
      }
      case 116:
        scanLiteral('true');
        push({ t: 'bool', s: start, e: i, value: true });
        break;
      case 102:
        scanLiteral('false');
        push({ t: 'bool', s: start, e: i, value: false });
        break;
      case 110:
        scanLiteral('null');
        push({ t: 'null', s: start, e: i });
        break;
      default:
        if (c === Ch.Minus || isDigit(c)) {
          const raw = scanNumber();
          push({ t: 'num', s: start, e: i, raw });
        } else {
          throw invalid(c, 'looking for beginning of value');
        }
    }
    if (container) continue;
    // After a value: close containers or move on to the next element.
    for (;;) {
      const top = stack[stack.length - 1];
      if (top === undefined) return { ok: true, node: result!, end: i };
      skipSpace();
      const d = at();
      if (top.kind === 'obj') {
        if (d === Ch.Comma) {
          i++;
          skipSpace();
          beginKey();
          break;
        }
        if (d !== Ch.CloseBrace) throw invalid(d, 'after object key:value pair');
      } else {
        if (d === Ch.Comma) {
          i++;
          break;
        }
        if (d !== Ch.CloseBracket) throw invalid(d, 'after array element');
      }
      i++;
      top.node.e = i;
      stack.pop();
    }
  }
}

/** The source text of a node, as Go hands it to an `UnmarshalJSON` method. */
export function rawText(buf: Buffer, node: GoJsonNode): string {
  return buf.toString('utf8', node.s, node.e);
}

/** Go's name for the kind of a JSON value in `json: cannot unmarshal <kind> into …`. */
export function goJsonKind(node: GoJsonNode): string {
  switch (node.t) {
    case 'obj':
      return 'object';
    case 'arr':
      return 'array';
    case 'str':
      return 'string';
    case 'num':
      return 'number';
    case 'bool':
      return 'bool';
    default:
      return 'null';
  }
}

/**
 * The JavaScript value `JSON.parse` would give for a node (Go decodes the same text into
 * `interface{}` with float64 numbers). A number too large for float64 is Go's type error
 * `number <literal>`: it is reported through `onOverflow` and the value read as `null`.
 */
export function goJsonToValue(node: GoJsonNode, onOverflow: (raw: string) => void): unknown {
  switch (node.t) {
    case 'str':
      return node.value;
    case 'num': {
      const value = Number(node.raw);
      if (!Number.isFinite(value)) {
        onOverflow(node.raw);
        return null;
      }
      return value;
    }
    case 'bool':
      return node.value;
    case 'null':
      return null;
    default:
      return containerToValue(node, onOverflow);
  }
}

/** Builds nested values without recursion (the scanner allows 10,000 levels). */
function containerToValue(root: GoJsonNode, onOverflow: (raw: string) => void): unknown {
  const make = (node: GoJsonNode): unknown =>
    node.t === 'obj' ? {} : node.t === 'arr' ? [] : goJsonToValue(node, onOverflow);
  const rootValue = make(root);
  const work: Array<[GoJsonNode, unknown]> = [[root, rootValue]];
  while (work.length > 0) {
    const [node, target] = work.pop()!;
    if (node.t === 'obj') {
      const obj = target as Record<string, unknown>;
      for (const [key, child] of node.entries) {
        const value = make(child);
        setOwn(obj, key, value);
        if (child.t === 'obj' || child.t === 'arr') work.push([child, value]);
      }
    } else if (node.t === 'arr') {
      const arr = target as unknown[];
      for (const child of node.items) {
        const value = make(child);
        arr.push(value);
        if (child.t === 'obj' || child.t === 'arr') work.push([child, value]);
      }
    }
  }
  return rootValue;
}

/**
 * Sets a property as `JSON.parse` does: `__proto__` becomes an own property instead of changing
 * the prototype, and a repeated key moves nothing (last value wins, first position kept).
 */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    obj[key] = value;
  }
}
