import { BsonType } from './bson-reader';

const INITIAL_BYTES = 256;
/** Text up to this length is tried as ASCII in a loop before falling back to `Buffer#write`. */
const SHORT_TEXT_CHARS = 64;
/** A scratch buffer shared by writers one at a time, so encoding a message allocates only its result. */
const SCRATCH_BYTES = 64 * 1024;
/** A scratch grown past this is not kept (a rare huge document should not pin memory). */
const MAX_KEPT_SCRATCH_BYTES = 4 * 1024 * 1024;
let scratch: Buffer | undefined = Buffer.allocUnsafe(SCRATCH_BYTES);

/**
 * Builds BSON documents into one growing buffer. Written by hand rather than with js-bson so that
 * numbers become exactly the BSON types the original server writes (seq as int64, JSON numbers as
 * doubles) and raw payload bytes can be spliced in without decoding them.
 */
export class BsonWriter {
  private buf: Buffer;
  private pos = 0;
  private readonly borrowed: boolean;

  constructor() {
    // Writers never nest, but if one is abandoned mid-way the next simply allocates its own.
    if (scratch !== undefined) {
      this.buf = scratch;
      scratch = undefined;
      this.borrowed = true;
    } else {
      this.buf = Buffer.allocUnsafe(INITIAL_BYTES);
      this.borrowed = false;
    }
  }
  private readonly openDocs: number[] = [];

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + extra) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** Opens a document (top level or as the value of the element just named). */
  beginDocument(): this {
    this.ensure(4);
    this.openDocs.push(this.pos);
    this.pos += 4;
    return this;
  }

  /** Closes the innermost open document and fills in its length. */
  endDocument(): this {
    this.ensure(1);
    this.buf[this.pos++] = 0;
    const start = this.openDocs.pop()!;
    this.buf.writeInt32LE(this.pos - start, start);
    return this;
  }

  /**
   * Writes text as UTF-8 at `at` and returns its byte length. Short ASCII text (field names, most
   * values) is copied in a loop, which is cheaper than a call into `Buffer#write`.
   */
  private text(value: string, at: number): number {
    const n = value.length;
    if (n <= SHORT_TEXT_CHARS) {
      const buf = this.buf;
      let i = 0;
      for (; i < n; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) break;
        buf[at + i] = c;
      }
      if (i === n) return n;
    }
    return this.buf.write(value, at, 'utf8');
  }

  /** Writes an element header: the type byte and the name as a C string. */
  name(type: number, name: string): this {
    // UTF-8 needs at most 3 bytes per UTF-16 unit: room is made without measuring first.
    this.ensure(name.length * 3 + 2);
    this.buf[this.pos++] = type;
    this.pos += this.text(name, this.pos);
    this.buf[this.pos++] = 0;
    return this;
  }

  string(name: string, value: string): this {
    this.name(BsonType.String, name);
    this.ensure(value.length * 3 + 5);
    const len = this.text(value, this.pos + 4);
    this.buf.writeInt32LE(len + 1, this.pos);
    this.pos += 4 + len;
    this.buf[this.pos++] = 0;
    return this;
  }

  int64(name: string, value: number | bigint): this {
    this.name(BsonType.Int64, name);
    this.ensure(8);
    if (typeof value === 'number' && value >= 0 && value <= Number.MAX_SAFE_INTEGER) {
      // Two uint32 halves: no BigInt to allocate for the common case (seq numbers).
      this.buf.writeUInt32LE(value % 0x1_0000_0000, this.pos);
      this.buf.writeUInt32LE(Math.floor(value / 0x1_0000_0000), this.pos + 4);
    } else {
      this.buf.writeBigInt64LE(BigInt(value), this.pos);
    }
    this.pos += 8;
    return this;
  }

  int32(name: string, value: number): this {
    this.name(BsonType.Int32, name);
    this.ensure(4);
    this.buf.writeInt32LE(value, this.pos);
    this.pos += 4;
    return this;
  }

  double(name: string, value: number): this {
    this.name(BsonType.Double, name);
    this.ensure(8);
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
    return this;
  }

  bool(name: string, value: boolean): this {
    this.name(BsonType.Boolean, name);
    this.ensure(1);
    this.buf[this.pos++] = value ? 1 : 0;
    return this;
  }

  null(name: string): this {
    return this.name(BsonType.Null, name);
  }

  /** Writes an element whose value is given as raw BSON bytes of type `type`. */
  raw(name: string, type: number, value: Uint8Array): this {
    this.name(type, name);
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
    return this;
  }

  /** Appends bytes as they are (e.g. a whole cached document). */
  bytes(value: Uint8Array): this {
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
    return this;
  }

  /**
   * Writes a value decoded from JSON the way the original re-encodes it: numbers as doubles,
   * objects as documents (keys in their order), arrays as arrays. `undefined` is left out; a key
   * holding a NUL byte cannot be a BSON name and is left out too.
   */
  jsonValue(name: string, value: unknown): this {
    switch (typeof value) {
      case 'string':
        return this.string(name, value);
      case 'number':
        return this.double(name, value);
      case 'boolean':
        return this.bool(name, value);
      case 'object': {
        if (value === null) return this.null(name);
        if (Array.isArray(value)) {
          this.name(BsonType.Array, name).beginDocument();
          for (let i = 0; i < value.length; i++) this.jsonValue(String(i), value[i]);
          return this.endDocument();
        }
        this.name(BsonType.Document, name).beginDocument();
        const obj = value as Record<string, unknown>;
        for (const key of Object.keys(obj)) {
          if (!key.includes('\0')) this.jsonValue(key, obj[key]);
        }
        return this.endDocument();
      }
      default:
        return this;
    }
  }

  /** The bytes written (a copy of exactly that length); the writer must not be used after. */
  finish(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    if (this.borrowed)
      scratch =
        this.buf.length <= MAX_KEPT_SCRATCH_BYTES ? this.buf : Buffer.allocUnsafe(SCRATCH_BYTES);
    return out;
  }
}
