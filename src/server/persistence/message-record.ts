import type { Payload } from '../payload';
import { StoredMessage } from '../stored-message';
import {
  bsonDocumentEnd,
  bsonElements,
  bsonString,
  BsonType,
  type BsonElement,
} from '../wire/bson-reader';
import { BsonWriter } from '../wire/bson-writer';
import { exactJsonValue } from '../wire/go-json-writer';
import { formatGoTimeNanos, parseGoTime, type GoTime } from '../wire/go-time';

/** First byte of a record payload: what the record holds. */
export const enum RecordKind {
  /** The queue's name: the first record of every log. */
  QueueName = 0x51, // 'Q'
  /** A stored message. */
  Message = 0x4d, // 'M'
}

/** The payload of a log's first record. */
export function queueNameRecord(name: string): Buffer {
  return Buffer.concat([Buffer.from([RecordKind.QueueName]), Buffer.from(name, 'utf8')]);
}

function writePayload(w: BsonWriter, jsonKey: string, rawKey: string, payload: Payload): void {
  // JSON payloads as exact JSON text (key order, -0 and all); BSON ones as their original element.
  if (payload.kind === 'json') w.string(jsonKey, exactJsonValue(payload.value));
  else w.raw(rawKey, payload.type, payload.bytes);
}

/**
 * Encodes a message for the log as a BSON document of short keys. Everything that shapes its wire
 * bytes is kept exactly (payloads in their arrival form, times to the nanosecond), so after a
 * restart it encodes to the same bytes in both formats. The queue name is in the log's header.
 */
export function messageRecord(msg: StoredMessage): Buffer {
  const w = new BsonWriter().beginDocument();
  w.int64('s', msg.seq).string('t', msg.type);
  if (msg.sender !== undefined) w.string('n', msg.sender);
  if (msg.topic !== undefined) w.string('p', msg.topic);
  if (msg.starttime !== undefined) w.string('a', formatGoTimeNanos(msg.starttime));
  if (msg.endtime !== undefined) w.string('b', formatGoTimeNanos(msg.endtime));
  if (msg.scMessageType !== undefined) w.int64('m', msg.scMessageType);
  if (msg.scContentType !== undefined) w.string('c', msg.scContentType);
  if (msg.gdacs !== undefined) writePayload(w, 'g', 'G', msg.gdacs);
  if (msg.data !== undefined) writePayload(w, 'd', 'D', msg.data);
  const doc = w.endDocument().finish();
  return Buffer.concat([Buffer.from([RecordKind.Message]), doc]);
}

function time(doc: Buffer, el: BsonElement): GoTime {
  const parsed = parseGoTime(bsonString(doc, el), false);
  if (!parsed.ok) throw new Error(`bad time in log record: ${parsed.error}`);
  return parsed.time;
}

/**
 * Decodes a message record (the payload after its kind byte).
 *
 * @throws Error when the record is not one we wrote.
 */
export function decodeMessageRecord(queue: string, body: Buffer): StoredMessage {
  // A copy: the stored message must not keep the whole file buffer alive.
  const doc = Buffer.from(body);
  if (bsonDocumentEnd(doc, 0) !== doc.length) throw new Error('corrupt message record');
  let seq: number | undefined;
  let type: string | undefined;
  let sender: string | undefined;
  let topic: string | undefined;
  let starttime: GoTime | undefined;
  let endtime: GoTime | undefined;
  let scMessageType: bigint | undefined;
  let scContentType: string | undefined;
  let gdacs: Payload | undefined;
  let data: Payload | undefined;
  for (const el of bsonElements(doc, 0)) {
    const raw = (): Payload => ({
      kind: 'bson',
      type: el.type,
      bytes: doc.subarray(el.valueStart, el.valueEnd),
    });
    const json = (): Payload => ({
      kind: 'json',
      value: JSON.parse(bsonString(doc, el)) as unknown,
    });
    switch (el.name) {
      case 's':
        seq = Number(doc.readBigInt64LE(el.valueStart));
        break;
      case 't':
        type = bsonString(doc, el);
        break;
      case 'n':
        sender = bsonString(doc, el);
        break;
      case 'p':
        topic = bsonString(doc, el);
        break;
      case 'a':
        starttime = time(doc, el);
        break;
      case 'b':
        endtime = time(doc, el);
        break;
      case 'm':
        scMessageType = doc.readBigInt64LE(el.valueStart);
        break;
      case 'c':
        scContentType = bsonString(doc, el);
        break;
      case 'g':
        gdacs = json();
        break;
      case 'G':
        gdacs = raw();
        break;
      case 'd':
        data = json();
        break;
      case 'D':
        data = raw();
        break;
    }
    if ((el.name === 's' || el.name === 'm') && el.type !== BsonType.Int64)
      throw new Error('corrupt message record');
  }
  if (seq === undefined || type === undefined) throw new Error('incomplete message record');
  return new StoredMessage(seq, {
    type,
    queue,
    sender,
    topic,
    starttime,
    endtime,
    scMessageType,
    scContentType,
    gdacs,
    data,
  });
}
