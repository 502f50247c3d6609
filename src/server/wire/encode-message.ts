import type { Payload } from '../payload';
import type { StoredMessage } from '../stored-message';
import type { SessionFormat } from './burst-builder';
import { bsonValueToGoJson } from './bson-to-go-json';
import { BsonWriter } from './bson-writer';
import { goJsonString, goJsonValue } from './go-json-writer';
import { formatGoTimeMicros } from './go-time';

const INT32_MIN = -2_147_483_648n;
const INT32_MAX = 2_147_483_647n;

function payloadJson(payload: Payload): string | undefined {
  if (payload.kind === 'json') return goJsonValue(payload.value);
  return bsonValueToGoJson(payload.bytes, payload.type, 0);
}

/**
 * A stored message as the original writes it for a JSON session. Field order is fixed: type,
 * queue, sender, topic, seq, starttime, endtime, the legacy fields, data; unset fields are left
 * out (docs/protocol.md §10.2).
 */
export function encodeMessageJson(msg: StoredMessage): Buffer {
  let out = `{"type":${goJsonString(msg.type)},"queue":${goJsonString(msg.queue)}`;
  if (msg.sender !== undefined) out += `,"sender":${goJsonString(msg.sender)}`;
  if (msg.topic !== undefined) out += `,"topic":${goJsonString(msg.topic)}`;
  out += `,"seq":${msg.seq}`;
  if (msg.starttime !== undefined) out += `,"starttime":"${formatGoTimeMicros(msg.starttime)}"`;
  if (msg.endtime !== undefined) out += `,"endtime":"${formatGoTimeMicros(msg.endtime)}"`;
  if (msg.scMessageType !== undefined) out += `,"scMessageType":${msg.scMessageType}`;
  if (msg.scContentType !== undefined) out += `,"scContentType":${goJsonString(msg.scContentType)}`;
  if (msg.gdacs !== undefined) {
    const gdacs = payloadJson(msg.gdacs);
    if (gdacs !== undefined) out += `,"gdacs":${gdacs}`;
  }
  if (msg.data !== undefined) {
    const data = payloadJson(msg.data);
    if (data !== undefined) out += `,"data":${data}`;
  }
  return Buffer.from(`${out}}`, 'utf8');
}

function writePayload(w: BsonWriter, name: string, payload: Payload): void {
  if (payload.kind === 'json') w.jsonValue(name, payload.value);
  else w.raw(name, payload.type, payload.bytes);
}

/**
 * A stored message as the original writes it for a BSON session: same fields and order as JSON,
 * `seq` as int64, times as strings, payloads from BSON senders as their original bytes.
 */
export function encodeMessageBson(msg: StoredMessage): Buffer {
  const w = new BsonWriter().beginDocument();
  w.string('type', msg.type).string('queue', msg.queue);
  if (msg.sender !== undefined) w.string('sender', msg.sender);
  if (msg.topic !== undefined) w.string('topic', msg.topic);
  w.int64('seq', msg.seq);
  if (msg.starttime !== undefined) w.string('starttime', formatGoTimeMicros(msg.starttime));
  if (msg.endtime !== undefined) w.string('endtime', formatGoTimeMicros(msg.endtime));
  if (msg.scMessageType !== undefined) {
    // Go's int is written as int32 when it fits, as mgo does.
    const v = msg.scMessageType;
    if (v >= INT32_MIN && v <= INT32_MAX) w.int32('scMessageType', Number(v));
    else w.int64('scMessageType', v);
  }
  if (msg.scContentType !== undefined) w.string('scContentType', msg.scContentType);
  if (msg.gdacs !== undefined) writePayload(w, 'gdacs', msg.gdacs);
  if (msg.data !== undefined) writePayload(w, 'data', msg.data);
  return w.endDocument().finish();
}

/** The two special frames: they carry nothing but their type (docs/protocol.md §10.2). */
const HEARTBEAT_JSON = Buffer.from('{"type":"HEARTBEAT"}');
const EOF_JSON = Buffer.from('{"type":"EOF"}');
const HEARTBEAT_BSON = new BsonWriter()
  .beginDocument()
  .string('type', 'HEARTBEAT')
  .endDocument()
  .finish();
const EOF_BSON = new BsonWriter().beginDocument().string('type', 'EOF').endDocument().finish();

/** The HEARTBEAT frame in a session's format. */
export function heartbeatFrame(format: SessionFormat): Buffer {
  return format === 'JSON' ? HEARTBEAT_JSON : HEARTBEAT_BSON;
}

/** The EOF frame in a session's format. */
export function eofFrame(format: SessionFormat): Buffer {
  return format === 'JSON' ? EOF_JSON : EOF_BSON;
}
