import { TOPIC_PATTERN } from '../../protocol/topic-pattern';
import type { Payload } from '../payload';
import {
  bsonDocumentError,
  bsonDocumentEnd,
  bsonString,
  forEachNamedElement,
  BsonType,
  type BsonElement,
} from './bson-reader';
import { bsonSequence, bsonTime } from './bson-fields';
import { decodeFailure, foldKey, GoTypeErrors, type Decoded } from './go-decode-errors';
import {
  jsonIntField,
  jsonMapField,
  jsonSeqField,
  jsonTimeField,
  jsonValueField,
} from './go-json-fields';
import { MAX_NESTING_DEPTH, parseGoJson, type GoJsonNode } from './go-json-parse';
import { fitsInt64 } from './go-strconv';
import { parseGoTime, type GoTime } from './go-time';
import { catchMalformed } from './malformed-request';

/** A message as a /send body gives it, before the server checks and stores it. */
export interface IncomingMessage {
  type: string | undefined;
  queue: string | undefined;
  topic: string | undefined;
  seq: bigint | undefined;
  starttime: GoTime | undefined;
  endtime: GoTime | undefined;
  data: Payload | undefined;
  scMessageType: bigint | undefined;
  scContentType: string | undefined;
  gdacs: Payload | undefined;
}

function emptyMessage(): IncomingMessage {
  return {
    type: undefined,
    queue: undefined,
    topic: undefined,
    seq: undefined,
    starttime: undefined,
    endtime: undefined,
    data: undefined,
    scMessageType: undefined,
    scContentType: undefined,
    gdacs: undefined,
  };
}

/** Prefix of every JSON /send decode error. */
const JSON_PREFIX = 'invalid JSON data: ';
/** The string fields of a BSON message: all read alike, laxly (another type counts as missing). */
const BSON_STRING_FIELDS = ['type', 'queue', 'topic', 'scContentType'] as const;
/**
 * The fields of a BSON message, matched by their bytes (BSON names are case-sensitive): the string
 * fields first, so that an index below their count names one of them.
 */
const BSON_MESSAGE_FIELDS = [
  ...BSON_STRING_FIELDS,
  'seq',
  'starttime',
  'endtime',
  'data',
  'scMessageType',
  'gdacs',
].map((name) => Buffer.from(name, 'latin1'));
const F_SEQ = BSON_STRING_FIELDS.length;
const F_STARTTIME = F_SEQ + 1;
const F_ENDTIME = F_SEQ + 2;
const F_DATA = F_SEQ + 3;
const F_SC_MESSAGE_TYPE = F_SEQ + 4;

/** Prefix of every BSON /send decode error. */
const BSON_PREFIX = 'invalid BSON data: ';
const MESSAGE_FIELDS = new Set([
  'type',
  'queue',
  'topic',
  'sender',
  'seq',
  'starttime',
  'endtime',
  'data',
  'scmessagetype',
  'sccontenttype',
  'gdacs',
]);
/** Text that may hold a number beyond float64 (Go's type error): decoded the slow way. */
const MAYBE_HUGE_NUMBER = /[eE]\+?\d{3}|\d{309}/;
/** The outcome of a whole JSON /send body: the messages, or the 400 text. */
export type SendListResult = Decoded<IncomingMessage[]>;

/**
 * Decodes a JSON /send body, `{"0":msg,"1":msg,…}`, into messages in key order, with the
 * original's texts for every failure (`invalid JSON data: …`, `invalid JSON message list`).
 *
 * The common case goes through `JSON.parse` and a few type checks; anything unusual (a syntax
 * error, a `seq`, a key in another case, a wrong type, a number beyond float64, deep nesting) is
 * decoded again by the Go-compatible scanner, which reproduces Go's exact behaviour and texts.
 */
export function decodeSendJson(body: Buffer): SendListResult {
  const fast = decodeFast(body);
  if (fast !== undefined) return { ok: true, value: fast };
  return decodeSlow(body);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function exceedsDepth(body: Buffer, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

function decodeFast(body: Buffer): IncomingMessage[] | undefined {
  if (body.length > 2 * MAX_NESTING_DEPTH && exceedsDepth(body, MAX_NESTING_DEPTH))
    return undefined;
  const text = body.toString('utf8');
  if (MAYBE_HUGE_NUMBER.test(text)) return undefined;
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isPlainObject(root)) return undefined;
  const hasBackslash = text.includes('\\');
  const n = Object.keys(root).length;
  const out: IncomingMessage[] = new Array<IncomingMessage>(n);
  for (let i = 0; i < n; i++) {
    const m = root[i];
    if (!isPlainObject(m)) return undefined;
    const msg = emptyMessage();
    for (const key of Object.keys(m)) {
      const v = m[key];
      switch (key) {
        case 'type':
        case 'queue':
        case 'topic':
        case 'scContentType':
          if (typeof v === 'string') msg[key] = v;
          else if (v !== null) return undefined;
          break;
        case 'sender':
          if (typeof v !== 'string' && v !== null) return undefined;
          break;
        case 'data':
          if (v !== null) msg.data = { kind: 'json', value: v };
          break;
        case 'starttime':
        case 'endtime': {
          if (v === null) break;
          if (typeof v !== 'string' || hasBackslash) return undefined;
          const parsed = parseGoTime(`"${v}"`, true);
          if (!parsed.ok) return undefined;
          msg[key] = parsed.time;
          break;
        }
        case 'gdacs':
          if (isPlainObject(v)) msg.gdacs = { kind: 'json', value: v };
          else if (v !== null) return undefined;
          break;
        default:
          // `seq` and `scMessageType` need their literal; other spellings need Go's folding.
          if (MESSAGE_FIELDS.has(foldKey(key))) return undefined;
      }
    }
    out[i] = msg;
  }
  return out;
}

function decodeSlow(body: Buffer): SendListResult {
  const parsed = parseGoJson(body);
  if (!parsed.ok) return decodeFailure(JSON_PREFIX + parsed.error);
  const root = parsed.node;
  const errors = new GoTypeErrors();
  const byKey = new Map<string, IncomingMessage | null>();
  return catchMalformed(() => {
    if (root.t === 'obj') {
      for (const [key, node] of root.entries) {
        if (node.t === 'null') byKey.set(key, null);
        else if (node.t !== 'obj') {
          errors.kind(node, 'main.Message');
          byKey.set(key, emptyMessage());
        } else byKey.set(key, decodeMessageNode(body, node, errors));
      }
    } else if (root.t !== 'null') {
      errors.kind(root, 'map[string]*main.Message');
    }
    return messagesInKeyOrder(byKey, errors);
  }, JSON_PREFIX);
}

/** The messages of a decoded body in key order, once no field aborted the decode. */
function messagesInKeyOrder(
  byKey: ReadonlyMap<string, IncomingMessage | null>,
  errors: GoTypeErrors,
): SendListResult {
  if (errors.first !== undefined) return decodeFailure(JSON_PREFIX + errors.first);
  const out: IncomingMessage[] = [];
  for (let i = 0; i < byKey.size; i++) {
    const msg = byKey.get(String(i));
    if (msg === undefined || msg === null) return decodeFailure('invalid JSON message list');
    out.push(msg);
  }
  return { ok: true, value: out };
}

function decodeMessageNode(
  body: Buffer,
  obj: Extract<GoJsonNode, { t: 'obj' }>,
  errors: GoTypeErrors,
): IncomingMessage {
  const msg = emptyMessage();
  const S = 'Message';
  for (const [key, node] of obj.entries) {
    const name = foldKey(key);
    switch (name) {
      case 'type':
      case 'queue':
      case 'topic':
      case 'sender':
      case 'sccontenttype': {
        if (node.t === 'null') break;
        const field = name === 'sccontenttype' ? 'scContentType' : name;
        if (node.t !== 'str') errors.kind(node, 'string', S, field);
        else if (name !== 'sender')
          msg[field as 'type' | 'queue' | 'topic' | 'scContentType'] = node.value;
        break;
      }
      case 'seq': {
        const seq = jsonSeqField(body, node);
        if (seq !== undefined) msg.seq = seq;
        break;
      }
      case 'starttime':
      case 'endtime': {
        const time = jsonTimeField(body, node);
        if (time !== undefined) msg[name] = time;
        break;
      }
      case 'data': {
        const value = jsonValueField(node, errors, S, 'data');
        msg.data = value === null ? undefined : { kind: 'json', value };
        break;
      }
      case 'scmessagetype': {
        const value = jsonIntField(node, errors, S, 'scMessageType');
        if (value !== undefined) msg.scMessageType = value;
        break;
      }
      case 'gdacs': {
        const value = jsonMapField(node, errors, S, 'gdacs');
        if (value !== undefined) msg.gdacs = { kind: 'json', value };
        break;
      }
    }
  }
  return msg;
}

/**
 * Decodes one BSON /send document (already framed by its length prefix), as the original's lax
 * BSON decoder does: a field of the wrong type counts as missing (`type: 5` → `invalid 'type'`,
 * `topic: 5` → no topic), except `seq` (`invalid Sequence` unless int32/int64) and times
 * (`invalid Time` unless a string). Payloads keep their raw bytes.
 */
export function decodeSendBson(doc: Buffer): Decoded<IncomingMessage> {
  const end = bsonDocumentEnd(doc, 0);
  if (end < 0) return decodeFailure(`${BSON_PREFIX}${bsonDocumentError(end)}`);
  const msg = emptyMessage();
  return catchMalformed(() => {
    forEachNamedElement(doc, 0, BSON_MESSAGE_FIELDS, (field, el) => {
      if (field < BSON_STRING_FIELDS.length) {
        msg[BSON_STRING_FIELDS[field]!] =
          el.type === BsonType.String ? bsonString(doc, el) : undefined;
        return;
      }
      switch (field) {
        case F_SEQ:
          msg.seq = bsonSequence(doc, el) ?? undefined;
          break;
        case F_STARTTIME:
          msg.starttime = bsonTime(doc, el) ?? undefined;
          break;
        case F_ENDTIME:
          msg.endtime = bsonTime(doc, el) ?? undefined;
          break;
        case F_DATA:
          msg.data =
            el.type === BsonType.Null || el.type === BsonType.Undefined
              ? undefined
              : rawPayload(doc, el);
          break;
        case F_SC_MESSAGE_TYPE:
          msg.scMessageType = bsonInteger(doc, el);
          break;
        default:
          // Lax like every other BSON field on the original: anything but a document is no gdacs
          // (the original answers 204 to `gdacs: 5`).
          msg.gdacs = el.type === BsonType.Document ? rawPayload(doc, el) : undefined;
      }
    });
    return { ok: true, value: msg };
  }, BSON_PREFIX);
}

/**
 * `scMessageType` as the original's lax BSON decoder reads an integer field: int32 and int64 as
 * they are, a double truncated, anything else (`"x"`, a document) as no value (the original
 * answers 204 to `scMessageType: "x"`).
 */
function bsonInteger(doc: Buffer, el: BsonElement): bigint | undefined {
  switch (el.type) {
    case BsonType.Int32:
      return BigInt(doc.readInt32LE(el.valueStart));
    case BsonType.Int64:
      return doc.readBigInt64LE(el.valueStart);
    case BsonType.Double: {
      const d = Math.trunc(doc.readDoubleLE(el.valueStart));
      return Number.isFinite(d) && fitsInt64(BigInt(d)) ? BigInt(d) : undefined;
    }
    default:
      return undefined;
  }
}

function rawPayload(doc: Buffer, el: BsonElement): Payload {
  // A copy, so a stored message does not keep the whole request chunk alive.
  const bytes = Buffer.allocUnsafe(el.valueEnd - el.valueStart);
  doc.copy(bytes, 0, el.valueStart, el.valueEnd);
  return { kind: 'bson', type: el.type, bytes };
}

/** What the server does with a decoded message. */
export type MessageCheck =
  | {
      readonly kind: 'store';
      readonly type: string;
      readonly queue: string;
      readonly topic: string | undefined;
    }
  | { readonly kind: 'heartbeat' }
  | { readonly kind: 'invalid'; readonly error: string };

/** Sends with an explicit seq past this cannot be numbered exactly in JavaScript. */
export const MAX_SEQ = Number.MAX_SAFE_INTEGER - 1;

/**
 * The original's checks on a message, in its order: `invalid 'type'` (missing, empty, EOF,
 * NEW_QUEUE), HEARTBEAT accepted and ignored, `invalid 'queue'`, `invalid 'topic'` (anything but
 * word characters), `invalid 'seq'` (negative, or beyond what we can number).
 */
export function checkMessage(msg: IncomingMessage): MessageCheck {
  const type = msg.type;
  if (type === undefined || type === '' || type === 'EOF' || type === 'NEW_QUEUE') {
    return { kind: 'invalid', error: "invalid 'type'" };
  }
  if (type === 'HEARTBEAT') return { kind: 'heartbeat' };
  if (msg.queue === undefined || msg.queue === '')
    return { kind: 'invalid', error: "invalid 'queue'" };
  const topic = msg.topic === '' ? undefined : msg.topic;
  if (topic !== undefined && !TOPIC_PATTERN.test(topic))
    return { kind: 'invalid', error: "invalid 'topic'" };
  if (msg.seq !== undefined && (msg.seq < 0n || msg.seq > BigInt(MAX_SEQ))) {
    return { kind: 'invalid', error: "invalid 'seq'" };
  }
  return { kind: 'store', type, queue: msg.queue, topic };
}
