import { payloadToValue } from '../payload';
import {
  bsonDocumentError,
  bsonDocumentEnd,
  bsonElements,
  bsonLaxBool,
  bsonLaxInt,
  bsonString,
  BsonType,
  type BsonElement,
} from './bson-reader';
import { decodeFailure, foldKey, GoTypeErrors, type Decoded } from './go-decode-errors';
import { goJsonToValue, parseGoJson, rawText, type GoJsonNode } from './go-json-parse';
import { goParseInt } from './go-strconv';
import { parseGoTime, type GoTime } from './go-time';

/** One queue of an /open request, decoded but not yet checked against the bus. */
export interface OpenQueueParams {
  topics: string[] | null;
  seq: number | null;
  endseq: number | null;
  starttime: GoTime | null;
  endtime: GoTime | null;
  /** `undefined`: no filter given. */
  filter: unknown;
  qlen: number | null;
  oowait: number | null;
  keep: boolean | null;
  seedlink: boolean;
}

/** An /open request. `params: null` is a queue given as `null` (or, in BSON, as a non-document). */
export interface OpenRequest {
  cid: string | null;
  heartbeat: number;
  recvLimit: number;
  readonly queues: Map<string, OpenQueueParams | null>;
}

function emptyQueueParams(): OpenQueueParams {
  return {
    topics: null,
    seq: null,
    endseq: null,
    starttime: null,
    endtime: null,
    filter: undefined,
    qlen: null,
    oowait: null,
    keep: null,
    seedlink: false,
  };
}

function emptyRequest(): OpenRequest {
  return { cid: null, heartbeat: 0, recvLimit: 0, queues: new Map() };
}

/** Thrown inside the decoders for errors that stop Go's decoder at once. */
class Abort {
  constructor(readonly text: string) {}
}

/**
 * Decodes a JSON /open body as Go decodes it into the original's `OpenParam` struct: keys matched
 * case-insensitively, unknown keys ignored, `null` leaving a field unset, the first type error
 * reported (`json: cannot unmarshal string into Go struct field OpenParam.heartbeat of type int`),
 * `seq`/`endseq` parsed from the literal (`strconv.ParseInt: parsing "0.0": invalid syntax`) and
 * times parsed from the quoted token (`parsing time "\"…\"" as "\"2006-01-02T15:04:05Z\""…`).
 */
export function decodeOpenJson(body: Buffer): Decoded<OpenRequest> {
  const parsed = parseGoJson(body);
  if (!parsed.ok) return decodeFailure(parsed.error);
  const errors = new GoTypeErrors();
  const request = emptyRequest();
  const root = parsed.node;
  try {
    if (root.t === 'obj') decodeOpenObject(body, root, request, errors);
    else if (root.t !== 'null') errors.kind(root, 'main.OpenParam');
  } catch (err) {
    if (err instanceof Abort) return decodeFailure(err.text);
    throw err;
  }
  return errors.first === undefined ? { ok: true, value: request } : decodeFailure(errors.first);
}

function jsonInt(
  node: GoJsonNode,
  errors: GoTypeErrors,
  struct: string,
  field: string,
): number | undefined {
  if (node.t === 'null') return undefined;
  if (node.t !== 'num') {
    errors.kind(node, 'int', struct, field);
    return undefined;
  }
  const parsed = goParseInt(node.raw);
  if (!parsed.ok) {
    errors.save(
      `json: cannot unmarshal number ${node.raw} into Go struct field ${struct}.${field} of type int`,
    );
    return undefined;
  }
  return Number(parsed.value);
}

function jsonBool(
  node: GoJsonNode,
  errors: GoTypeErrors,
  struct: string,
  field: string,
): boolean | undefined {
  if (node.t === 'null') return undefined;
  if (node.t !== 'bool') {
    errors.kind(node, 'bool', struct, field);
    return undefined;
  }
  return node.value;
}

function decodeOpenObject(
  body: Buffer,
  root: Extract<GoJsonNode, { t: 'obj' }>,
  request: OpenRequest,
  errors: GoTypeErrors,
): void {
  for (const [key, node] of root.entries) {
    switch (foldKey(key)) {
      case 'cid':
        if (node.t === 'str') request.cid = node.value;
        else if (node.t !== 'null') errors.kind(node, 'string', 'OpenParam', 'cid');
        break;
      case 'heartbeat': {
        const v = jsonInt(node, errors, 'OpenParam', 'heartbeat');
        if (v !== undefined) request.heartbeat = v;
        break;
      }
      case 'recv_limit': {
        const v = jsonInt(node, errors, 'OpenParam', 'recv_limit');
        if (v !== undefined) request.recvLimit = v;
        break;
      }
      case 'queue':
        if (node.t === 'null') request.queues.clear();
        else if (node.t !== 'obj')
          errors.kind(node, 'map[string]*main.OpenParamQueue', 'OpenParam', 'queue');
        else {
          for (const [name, q] of node.entries) {
            if (q.t === 'null') request.queues.set(name, null);
            else if (q.t !== 'obj') errors.kind(q, 'main.OpenParamQueue', 'OpenParam', 'queue');
            else request.queues.set(name, decodeQueueJson(body, q, errors));
          }
        }
        break;
    }
  }
}

function decodeQueueJson(
  body: Buffer,
  obj: Extract<GoJsonNode, { t: 'obj' }>,
  errors: GoTypeErrors,
): OpenQueueParams {
  const p = emptyQueueParams();
  const S = 'OpenParamQueue';
  for (const [key, node] of obj.entries) {
    const name = foldKey(key);
    switch (name) {
      case 'topics':
        if (node.t === 'null') p.topics = null;
        else if (node.t !== 'arr') errors.kind(node, '[]string', S, 'queue.topics');
        else {
          p.topics = node.items.map((item) => {
            if (item.t === 'str') return item.value;
            if (item.t !== 'null') errors.kind(item, 'string', S, 'queue.topics');
            return '';
          });
        }
        break;
      case 'seq':
      case 'endseq': {
        const raw = rawText(body, node);
        if (raw === 'null') break;
        const parsed = goParseInt(raw);
        if (!parsed.ok) throw new Abort(parsed.error);
        p[name] = Number(parsed.value);
        break;
      }
      case 'starttime':
      case 'endtime': {
        const raw = rawText(body, node);
        if (raw === 'null') break;
        const parsed = parseGoTime(raw, true);
        if (!parsed.ok) throw new Abort(parsed.error);
        p[name] = parsed.time;
        break;
      }
      case 'filter':
        // The original decodes the filter into a Go map: anything but an object (or null)
        // fails the whole /open with Go's type error, not a per-queue error.
        if (node.t !== 'obj' && node.t !== 'null') {
          errors.kind(node, 'map[string]interface {}', S, 'queue.filter');
          break;
        }
        p.filter = goJsonToValue(node, (literal) =>
          errors.save(
            `json: cannot unmarshal number ${literal} into Go struct field ${S}.queue.filter of type float64`,
          ),
        );
        if (p.filter === null) p.filter = undefined;
        break;
      case 'qlen':
      case 'oowait': {
        if (node.t === 'null') {
          p[name] = null;
          break;
        }
        const v = jsonInt(node, errors, S, `queue.${name}`);
        if (v !== undefined) p[name] = v;
        break;
      }
      case 'keep': {
        if (node.t === 'null') {
          p.keep = null;
          break;
        }
        const v = jsonBool(node, errors, S, 'queue.keep');
        if (v !== undefined) p.keep = v;
        break;
      }
      case 'seedlink': {
        const v = jsonBool(node, errors, S, 'queue.seedlink');
        if (v !== undefined) p.seedlink = v;
        break;
      }
    }
  }
  return p;
}

/**
 * Decodes a BSON /open body as the original's BSON decoder does: `Document is corrupted` for a
 * malformed (or empty) document; plain integer fields lax (a double is truncated, a string
 * ignored); `seq`/`endseq` strict (`invalid Sequence` unless int32 or int64); times must be
 * strings (`invalid Time`), parsed with the unquoted layout.
 */
export function decodeOpenBson(body: Buffer): Decoded<OpenRequest> {
  const end = bsonDocumentEnd(body, 0);
  if (end < 0) return decodeFailure(bsonDocumentError(end));
  const request = emptyRequest();
  try {
    for (const el of bsonElements(body, 0)) {
      switch (el.name) {
        case 'cid':
          if (el.type === BsonType.String) request.cid = bsonString(body, el);
          break;
        case 'heartbeat':
          request.heartbeat = bsonLaxInt(body, el) ?? request.heartbeat;
          break;
        case 'recv_limit':
          request.recvLimit = bsonLaxInt(body, el) ?? request.recvLimit;
          break;
        case 'queue':
          if (el.type === BsonType.Document) {
            for (const q of bsonElements(body, el.valueStart)) {
              request.queues.set(
                q.name,
                q.type === BsonType.Document ? decodeQueueBson(body, q) : null,
              );
            }
          }
          break;
      }
    }
  } catch (err) {
    if (err instanceof Abort) return decodeFailure(err.text);
    throw err;
  }
  return { ok: true, value: request };
}

/** An int32/int64 sequence number; `null` for BSON null; aborts with `invalid Sequence` otherwise. */
export function bsonSequence(body: Buffer, el: BsonElement, prefix = ''): bigint | null {
  if (el.type === BsonType.Int32) return BigInt(body.readInt32LE(el.valueStart));
  if (el.type === BsonType.Int64) return body.readBigInt64LE(el.valueStart);
  if (el.type === BsonType.Null) return null;
  throw new Abort(`${prefix}invalid Sequence`);
}

/** A time string; `null` for BSON null; aborts with `invalid Time` or the parse error otherwise. */
export function bsonTime(body: Buffer, el: BsonElement, prefix = ''): GoTime | null {
  if (el.type === BsonType.Null) return null;
  if (el.type !== BsonType.String) throw new Abort(`${prefix}invalid Time`);
  const parsed = parseGoTime(bsonString(body, el), false);
  if (!parsed.ok) throw new Abort(`${prefix}${parsed.error}`);
  return parsed.time;
}

export { Abort as BsonDecodeAbort };

function decodeQueueBson(body: Buffer, queue: BsonElement): OpenQueueParams {
  const p = emptyQueueParams();
  for (const el of bsonElements(body, queue.valueStart)) {
    switch (el.name) {
      case 'topics':
        if (el.type === BsonType.Array) {
          p.topics = bsonElements(body, el.valueStart)
            .filter((item) => item.type === BsonType.String)
            .map((item) => bsonString(body, item));
        } else if (el.type === BsonType.Null) p.topics = null;
        break;
      case 'seq':
      case 'endseq': {
        const v = bsonSequence(body, el);
        p[el.name] = v === null ? null : Number(v);
        break;
      }
      case 'starttime':
      case 'endtime':
        p[el.name] = bsonTime(body, el);
        break;
      case 'filter':
        if (el.type !== BsonType.Null && el.type !== BsonType.Undefined) {
          p.filter = payloadToValue({
            kind: 'bson',
            type: el.type,
            bytes: Buffer.from(body.subarray(el.valueStart, el.valueEnd)),
          });
        }
        break;
      case 'qlen':
      case 'oowait':
        p[el.name] = el.type === BsonType.Null ? null : (bsonLaxInt(body, el) ?? p[el.name]);
        break;
      case 'keep':
        p.keep = el.type === BsonType.Null ? null : (bsonLaxBool(body, el) ?? p.keep);
        break;
      case 'seedlink':
        p.seedlink = bsonLaxBool(body, el) ?? p.seedlink;
        break;
    }
  }
  return p;
}
