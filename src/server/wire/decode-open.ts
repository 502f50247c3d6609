import { payloadToValue } from '../payload';
import { bsonSequence, bsonTime } from './bson-fields';
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
import { jsonIntField, jsonMapField, jsonSeqField, jsonTimeField } from './go-json-fields';
import { parseGoJson, type GoJsonNode } from './go-json-parse';
import type { GoTime } from './go-time';
import { catchMalformed } from './malformed-request';

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
  return catchMalformed(() => {
    if (root.t === 'obj') decodeOpenObject(body, root, request, errors);
    else if (root.t !== 'null') errors.kind(root, 'main.OpenParam');
    return errors.first === undefined ? { ok: true, value: request } : decodeFailure(errors.first);
  });
}

/** A Go `int` field of /open as a JS number (`undefined`: null or a type error, see below). */
function jsonInt(
  node: GoJsonNode,
  errors: GoTypeErrors,
  struct: string,
  field: string,
): number | undefined {
  const value = jsonIntField(node, errors, struct, field);
  return value === undefined ? undefined : Number(value);
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
        const seq = jsonSeqField(body, node);
        if (seq !== undefined) p[name] = Number(seq);
        break;
      }
      case 'starttime':
      case 'endtime': {
        const time = jsonTimeField(body, node);
        if (time !== undefined) p[name] = time;
        break;
      }
      case 'filter':
        // The original decodes the filter into a Go map: anything but an object (or null)
        // fails the whole /open with Go's type error, not a per-queue error.
        p.filter = jsonMapField(node, errors, S, 'queue.filter');
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
  return catchMalformed(() => {
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
    return { ok: true, value: request };
  });
}

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
