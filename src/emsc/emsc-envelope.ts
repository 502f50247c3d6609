import { Binary, ByteUtils } from 'bson';
import { isDocument } from '../protocol/filter/is-document';
import { HmbEmscError, type HmbEmscProblem } from '../errors/emsc-error';
import type { HmbErrorOptions } from '../errors/hmb-error';
import { inflateZlib } from './zlib-streams';

// The envelope of EMSC's Python `hmb_client` (EmscHmbPublisher / EmscHmbListener), docs/emsc.md:
// `data` = { _header: { creationtime, author, agency, metadata? }, _type?, … } on messages of
// type EMSC_MSG. See docs/emsc.md.

export { EMSC_MESSAGE_TYPE } from '../protocol/message';

/** The `_header` of an EMSC envelope. */
export interface HmbEmscHeader {
  /** When the publisher built the message (a BSON datetime, UTC). */
  readonly creationtime: Date;
  /** The publishing program, e.g. `emschmb.py.1.0`. */
  readonly author: string;
  /** The publishing agency, e.g. `EMSC`. */
  readonly agency: string;
  /** Free-form metadata, when the publisher gave some. */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/**
 * What an EMSC envelope carries, by kind: a document (`send`), a text in an encoding (`send_str`,
 * `_type: "STR"`), bytes (`send_bin`, `_type: "BIN"`) or a file (`send_file`, `_type: "FILE"`).
 */
export type HmbEmscPayload =
  | { readonly kind: 'dict'; readonly data: Readonly<Record<string, unknown>> }
  | { readonly kind: 'text'; readonly text: string; readonly encoding: string }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  | { readonly kind: 'file'; readonly file: string; readonly content: Uint8Array };

/** A decoded EMSC envelope: its header and its payload, content inflated. */
export interface HmbEmscEnvelope {
  readonly header: HmbEmscHeader;
  readonly payload: HmbEmscPayload;
}

/** Where the envelope came from, for error messages. */
export interface HmbEmscSource {
  readonly queue?: string;
  readonly seq?: number;
}

/**
 * Reads the `data` of an `EMSC_MSG` message: the header, and the payload with zlib content
 * inflated and text decoded. Accepts the BSON form (binary content, datetime) and, for a JSON
 * session, the original server's rendering of it (base64 strings, RFC 3339 times).
 *
 * @throws HmbEmscError (`HMB_ERR_EMSC`) naming what is wrong with the envelope.
 */
export async function readEmscEnvelope(
  data: unknown,
  source: HmbEmscSource = {},
): Promise<HmbEmscEnvelope> {
  const fail = (problem: HmbEmscProblem, reason: string, cause?: unknown): HmbEmscError =>
    new HmbEmscError(`EMSC envelope${where(source)}: ${reason}`, {
      problem,
      ...context(source),
      ...(cause === undefined ? {} : { cause }),
    });
  if (!isDocument(data)) throw fail('missing-header', `data is ${describe(data)}, not a document`);
  const header = readHeader(data['_header'], fail);
  const type = data['_type'];
  const zlib = data['zlib'];
  if (type === undefined) {
    const { _header: _h, ...rest } = data;
    return { header, payload: { kind: 'dict', data: rest } };
  }
  if (type !== 'STR' && type !== 'BIN' && type !== 'FILE')
    throw fail('unknown-type', `unknown _type ${JSON.stringify(type)} (expected STR, BIN or FILE)`);
  if (typeof zlib !== 'boolean')
    throw fail('bad-field', `zlib is ${describe(zlib)}, not a boolean`);
  const content = data['content'];
  const inflate = async (bytes: Uint8Array): Promise<Uint8Array> => {
    if (!zlib) return bytes;
    try {
      return await inflateZlib(bytes);
    } catch (error) {
      throw fail('bad-zlib', `content is not zlib data (${(error as Error).message})`, error);
    }
  };
  if (type === 'STR') {
    const encoding = data['encoding'];
    if (typeof encoding !== 'string')
      throw fail('bad-field', `encoding is ${describe(encoding)}, not a string`);
    // Uncompressed text is a BSON string; compressed text is binary.
    if (typeof content === 'string' && !zlib)
      return { header, payload: { kind: 'text', text: content, encoding } };
    const bytes = await inflate(contentBytes(content, fail));
    let text: string;
    try {
      text = new TextDecoder(encoding, { fatal: true }).decode(bytes);
    } catch (error) {
      throw fail(
        'bad-encoding',
        `text cannot be decoded as ${encoding}: ${(error as Error).message}`,
        error,
      );
    }
    return { header, payload: { kind: 'text', text, encoding } };
  }
  const bytes = await inflate(contentBytes(content, fail));
  if (type === 'BIN') return { header, payload: { kind: 'bytes', bytes } };
  const file = data['file'];
  if (typeof file !== 'string') throw fail('bad-field', `file is ${describe(file)}, not a string`);
  return { header, payload: { kind: 'file', file, content: bytes } };
}

type Fail = (problem: HmbEmscProblem, reason: string, cause?: unknown) => HmbEmscError;

function readHeader(value: unknown, fail: Fail): HmbEmscHeader {
  if (value === undefined) throw fail('missing-header', 'no _header');
  if (!isDocument(value)) throw fail('bad-header', `_header is ${describe(value)}, not a document`);
  const { creationtime, author, agency, metadata } = value;
  const created =
    creationtime instanceof Date
      ? creationtime
      : typeof creationtime === 'string'
        ? new Date(creationtime)
        : undefined;
  if (created === undefined || Number.isNaN(created.getTime()))
    throw fail('bad-header', `_header.creationtime is ${describe(creationtime)}, not a datetime`);
  if (typeof author !== 'string')
    throw fail('bad-header', `_header.author is ${describe(author)}, not a string`);
  if (typeof agency !== 'string')
    throw fail('bad-header', `_header.agency is ${describe(agency)}, not a string`);
  if (metadata !== undefined && metadata !== null && !isDocument(metadata))
    throw fail('bad-header', `_header.metadata is ${describe(metadata)}, not a document`);
  return {
    creationtime: created,
    author,
    agency,
    ...(isDocument(metadata) ? { metadata } : {}),
  };
}

/** Binary content as bytes: a js-bson Binary (BSON), a Uint8Array, or base64 text (JSON sessions). */
function contentBytes(content: unknown, fail: Fail): Uint8Array {
  if (content instanceof Uint8Array) return content;
  if (
    typeof content === 'object' &&
    content !== null &&
    (content as Binary)._bsontype === 'Binary'
  ) {
    const binary = content as Binary;
    return binary.buffer.subarray(0, binary.position);
  }
  if (typeof content === 'string') {
    // The original renders binary as base64 for JSON sessions (docs/protocol.md §14).
    if (/^[A-Za-z0-9+/]*={0,2}$/.test(content) && content.length % 4 === 0)
      return ByteUtils.fromBase64(content);
  }
  throw fail('bad-field', `content is ${describe(content)}, not binary`);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') {
    const name = (value as { _bsontype?: string })._bsontype ?? value.constructor?.name;
    return `a ${name ?? 'object'}`;
  }
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  return `${typeof value} ${String(value)}`;
}

function where(source: HmbEmscSource): string {
  if (source.queue === undefined) return '';
  return source.seq === undefined ? ` in ${source.queue}` : ` in ${source.queue}#${source.seq}`;
}

function context(source: HmbEmscSource): HmbErrorOptions {
  return {
    ...(source.queue === undefined ? {} : { queue: source.queue }),
    ...(source.seq === undefined ? {} : { seq: source.seq }),
  };
}

/** Content bytes as the BSON binary a Python publisher writes (subtype 0). */
export function emscBinary(bytes: Uint8Array): Binary {
  return new Binary(bytes, Binary.SUBTYPE_DEFAULT);
}
