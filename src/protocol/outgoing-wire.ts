import { BSON } from 'bson';
import { HmbInvalidMessageError } from '../errors/invalid-message-error';
import { bsonSeq } from './bson-codec';
import type { HmbFormat } from './hmb-format';
import { EMSC_MESSAGE_TYPE, EOF_TYPE, HEARTBEAT_TYPE, NEW_QUEUE_TYPE } from './message';
import type { HmbOutgoing } from './outgoing';
import { formatHmbTime } from './time';
import {
  bsonPayload,
  checkJsonPayload,
  PayloadRefusal,
  writeExactJson,
  type JsonPayloadCheck,
} from './payload-encoding';
import { TOPIC_PATTERN } from './topic-pattern';

/** Types the server refuses on /send (HEARTBEAT is accepted only as a keep-alive, never published). */
export const RESERVED_TYPES: readonly string[] = [HEARTBEAT_TYPE, EOF_TYPE, NEW_QUEUE_TYPE];

const NON_ASCII = /[\u0080-\uffff]/;

/**
 * The length of a string in UTF-8, counted without encoding it (TextEncoder would allocate and copy
 * every message just to measure it). Lone surrogates count 3 bytes, as U+FFFD, which is what
 * they are encoded as.
 */
export function utf8Length(text: string): number {
  // Most messages are ASCII: one native scan then answers without a loop over every character.
  if (!NON_ASCII.test(text)) return text.length;
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) {
      bytes += 1;
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      // A surrogate pair: 2 UTF-16 units, 4 bytes.
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      bytes += 2;
    } else {
      bytes += 2;
    }
  }
  return bytes;
}

/** A message checked for a /send body: its wire document, ready for the encoder of its format. */
export interface HmbCheckedOutgoing {
  /** The wire document; in BSON its payloads already carry `Long`/`Double` where recorded. */
  readonly wire: Record<string, unknown>;
  /** JSON only: the payload holds a value `JSON.stringify` writes differently than the table says (`-0`). */
  readonly exactJson: boolean;
}

/**
 * Checks a message to publish the way the server would, and maps its payload values (`data`,
 * `gdacs`) as docs/data-types.md says, refusing what the table refuses with its path. Checking
 * first means a bad message is refused with a precise reason before anything is sent, instead of
 * failing a whole batch on the server (where the messages before it would already be stored,
 * docs/protocol.md §8).
 *
 * @throws HmbInvalidMessageError naming what is wrong (and, for a payload value, where).
 */
export function checkOutgoing(message: HmbOutgoing, format: HmbFormat): HmbCheckedOutgoing {
  const wire = outgoingToWire(message, format);
  const check: JsonPayloadCheck = { needsExactWriter: false };
  checkPayloads(message, format, check, wire);
  return { wire, exactJson: check.needsExactWriter };
}

/** What a check that keeps nothing tells the JSON payload walk (its finding is not used). */
const UNUSED_CHECK: JsonPayloadCheck = { needsExactWriter: false };

/**
 * {@link checkOutgoing} without its result: the same refusals, in the same order, and no wire
 * document made. A sink checks every message as it accepts it and encodes it only when its batch
 * goes out; a document made at acceptance and thrown away was half of what a sink allocated per
 * message (bench/sink-cpu.ts).
 *
 * @throws HmbInvalidMessageError naming what is wrong (and, for a payload value, where).
 */
export function checkSendable(message: HmbOutgoing, format: HmbFormat): void {
  checkEnvelope(message);
  checkPayloads(message, format, UNUSED_CHECK, undefined);
}

/**
 * Checks the payload values of a message whose envelope passed: in JSON, after refusing an EMSC
 * envelope, against the table (what it finds goes to `check`); in BSON also mapping them, into
 * `wire` when one is given.
 */
function checkPayloads(
  message: HmbOutgoing,
  format: HmbFormat,
  check: JsonPayloadCheck,
  wire: Record<string, unknown> | undefined,
): void {
  if (format === 'json') refuseEmscInJson(message);
  const json = format === 'json' ? check : undefined;
  const { gdacs, data } = message;
  if (gdacs !== undefined) {
    const mapped = checkPayload(message, gdacs, 'gdacs', json);
    if (wire !== undefined) wire['gdacs'] = mapped;
  }
  if (data !== undefined && data !== null) {
    const mapped = checkPayload(message, data, 'data', json);
    if (wire !== undefined) wire['data'] = mapped;
  }
}

function refuseEmscInJson(message: HmbOutgoing): void {
  if (message.type === EMSC_MESSAGE_TYPE)
    throw new HmbInvalidMessageError(
      "an EMSC envelope (EMSC_MSG) is BSON-only: its creation time is a datetime and its content binary, which JSON cannot carry and EMSC's decoder cannot read as text; send it with format 'bson'",
      message,
      { queue: message.queue },
    );
}

/** The JSON text of a checked message. @throws HmbInvalidMessageError if it cannot be written. */
export function checkedToJson(message: HmbOutgoing, checked: HmbCheckedOutgoing): string {
  try {
    return checked.exactJson ? writeExactJson(checked.wire) : JSON.stringify(checked.wire);
  } catch (cause) {
    throw new HmbInvalidMessageError(
      `data cannot be encoded as JSON: ${(cause as Error).message}`,
      message,
      { cause, queue: message.queue },
    );
  }
}

/** The refusal of a message js-bson could not serialize. */
export function bsonRefusal(message: HmbOutgoing, cause: unknown): HmbInvalidMessageError {
  return new HmbInvalidMessageError(
    `data cannot be encoded as BSON: ${(cause as Error).message}`,
    message,
    { cause, queue: message.queue },
  );
}

/**
 * Checks a payload value (`data` or `gdacs`): for JSON (`json` given) against the table; for BSON
 * also mapping it (see {@link bsonPayload}), and returns what goes on the wire. A refusal becomes
 * the message's error. No closure per call: this runs for every message a sink accepts and again
 * when its batch is encoded.
 */
function checkPayload(
  message: HmbOutgoing,
  value: unknown,
  field: 'data' | 'gdacs',
  json: JsonPayloadCheck | undefined,
): unknown {
  try {
    if (json === undefined) return bsonPayload(value);
    checkJsonPayload(value, json);
    return value;
  } catch (refusal) {
    if (!(refusal instanceof PayloadRefusal)) throw refusal;
    const path = refusal.path(field);
    throw new HmbInvalidMessageError(`${path}: ${refusal.reason}`, message, {
      path,
      queue: message.queue,
    });
  }
}

/**
 * The wire document of a message to publish (times as HMB strings, seq as int64 in BSON). Its
 * payload values are as given: {@link checkOutgoing} checks and maps them.
 *
 * @throws HmbInvalidMessageError naming what is wrong.
 */
export function outgoingToWire(message: HmbOutgoing, format: HmbFormat): Record<string, unknown> {
  checkEnvelope(message);
  const { type, queue, topic, seq, starttime, endtime, data } = message;
  const wire: Record<string, unknown> = { type, queue };
  if (topic !== undefined && topic !== '') wire['topic'] = topic;
  if (seq !== undefined) wire['seq'] = format === 'bson' ? bsonSeq(seq) : seq;
  // Checked above: formatting cannot fail here.
  if (starttime !== undefined) wire['starttime'] = formatHmbTime(starttime, 'starttime');
  if (endtime !== undefined) wire['endtime'] = formatHmbTime(endtime, 'endtime');
  if (message.scMessageType !== undefined) wire['scMessageType'] = message.scMessageType;
  if (message.scContentType !== undefined) wire['scContentType'] = message.scContentType;
  if (message.gdacs !== undefined) wire['gdacs'] = message.gdacs;
  if (data !== undefined && data !== null) wire['data'] = data;
  return wire;
}

/**
 * Checks everything of a message to publish but its payload values, in the order the server
 * would refuse them.
 *
 * @throws HmbInvalidMessageError naming what is wrong.
 */
function checkEnvelope(message: HmbOutgoing): void {
  if (typeof message !== 'object' || message === null) {
    throw new HmbInvalidMessageError('a message must be an object', message);
  }
  const { type, queue, topic, seq, starttime, endtime } = message;
  if (typeof type !== 'string' || type === '')
    throw new HmbInvalidMessageError('type is missing or empty', message);
  if (RESERVED_TYPES.includes(type))
    throw new HmbInvalidMessageError(`type is reserved: ${type}`, message);
  if (typeof queue !== 'string' || queue === '') {
    throw new HmbInvalidMessageError('queue is missing or empty', message);
  }
  if (topic !== undefined && topic !== '') {
    if (typeof topic !== 'string' || !TOPIC_PATTERN.test(topic)) {
      throw new HmbInvalidMessageError(
        `topic must be word characters only: ${JSON.stringify(topic)}`,
        message,
        {
          queue,
        },
      );
    }
  }
  if (seq !== undefined) {
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) {
      throw new HmbInvalidMessageError(
        `seq must be a non-negative integer: ${String(seq)}`,
        message,
        { queue },
      );
    }
  }
  try {
    if (starttime !== undefined) formatHmbTime(starttime, 'starttime');
    if (endtime !== undefined) formatHmbTime(endtime, 'endtime');
  } catch (cause) {
    throw new HmbInvalidMessageError((cause as Error).message, message, { cause, queue });
  }
  if (message.scMessageType !== undefined && !Number.isInteger(message.scMessageType)) {
    throw new HmbInvalidMessageError('scMessageType must be an integer', message, { queue });
  }
  if (message.gdacs !== undefined) {
    if (
      typeof message.gdacs !== 'object' ||
      message.gdacs === null ||
      Array.isArray(message.gdacs)
    ) {
      throw new HmbInvalidMessageError('gdacs must be a document', message, { queue });
    }
  }
}

/** The keep-alive /send body: a HEARTBEAT is accepted and only refreshes the session (§8). */
export function heartbeatSendBody(format: HmbFormat): string | Uint8Array {
  return format === 'json'
    ? `{"0":{"type":"${HEARTBEAT_TYPE}"}}`
    : BSON.serialize({ type: HEARTBEAT_TYPE });
}
