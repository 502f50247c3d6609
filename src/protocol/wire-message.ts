import { HmbDecodeError } from '../errors/decode-error';
import { HmbProtocolError } from '../errors/protocol-error';
import {
  EOF,
  EOF_TYPE,
  HEARTBEAT,
  HEARTBEAT_TYPE,
  type HmbFrame,
  type HmbMessage,
} from './message';

/**
 * Turns one decoded wire document (`{type, queue, seq, …}` from JSON or BSON) into a frame. HEARTBEAT
 * and EOF carry only `type` on the wire and become the shared {@link HEARTBEAT}/{@link EOF} values.
 *
 * @throws HmbDecodeError when the document is not a valid HMB message; HmbProtocolError for a seq
 *   no server can give (negative, fractional, beyond 2^53).
 */
export function frameFromWire(doc: unknown): HmbFrame {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new HmbDecodeError(`expected a message document, got ${describe(doc)}`);
  }
  const wire = doc as Record<string, unknown>;
  const type = wire['type'];
  if (typeof type !== 'string' || type === '') {
    throw new HmbDecodeError(`message without a type: ${preview(wire)}`);
  }
  if (type === HEARTBEAT_TYPE && wire['queue'] === undefined) return HEARTBEAT;
  if (type === EOF_TYPE && wire['queue'] === undefined) return EOF;
  const queue = wire['queue'];
  const rawSeq = wire['seq'];
  const seq = toSeq(rawSeq);
  if (typeof queue === 'string' && (seq === undefined ? isNumeric(rawSeq) : seq < 0)) {
    // A number no server can give (negative, fractional, beyond 2^53): the server is broken or
    // hostile, and delivering it would corrupt every position kept from it.
    throw new HmbProtocolError(
      `impossible seq ${String(rawSeq)} in queue ${JSON.stringify(queue)}: ${preview(wire)}`,
      { queue, ...(seq === undefined ? {} : { seq }) },
    );
  }
  if (typeof queue !== 'string' || seq === undefined) {
    throw new HmbDecodeError(`message without a valid queue and seq: ${preview(wire)}`);
  }
  // Built field by field (rather than spreading the wire object) so that the object has one
  // stable shape for V8 and carries no field the protocol does not define. Each field is read by
  // name: a loop over field names would make every read a keyed (megamorphic) lookup.
  const message: { -readonly [K in keyof HmbMessage]: HmbMessage[K] } = {
    kind: 'message',
    type,
    queue,
    seq,
  };
  const { topic, sender, starttime, endtime, scContentType } = wire;
  if (typeof topic === 'string') message.topic = topic;
  if (typeof sender === 'string') message.sender = sender;
  if (typeof starttime === 'string') message.starttime = starttime;
  if (typeof endtime === 'string') message.endtime = endtime;
  if (typeof scContentType === 'string') message.scContentType = scContentType;
  const sc = wire['scMessageType'];
  if (sc !== undefined && sc !== null) message.scMessageType = Number(sc);
  const gdacs = wire['gdacs'];
  if (typeof gdacs === 'object' && gdacs !== null) message.gdacs = gdacs as Record<string, unknown>;
  const data = wire['data'];
  if (data !== undefined) message.data = data;
  return message;
}

/**
 * A seq as the wire gives it: a JSON number, or a BSON int32/int64. js-bson returns an int64 as a
 * plain number when it fits in 53 bits (`promoteLongs`), which every real seq does; a `Long` or
 * `bigint` is converted all the same.
 */
function toSeq(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'object' && value !== null && 'toNumber' in value) {
    const n = (value as { toNumber(): unknown }).toNumber();
    return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

function isNumeric(value: unknown): boolean {
  return (
    typeof value === 'number' ||
    typeof value === 'bigint' ||
    (typeof value === 'object' && value !== null && 'toNumber' in value)
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

function preview(doc: Record<string, unknown>): string {
  try {
    const text = JSON.stringify(doc, (_k, v: unknown) =>
      typeof v === 'bigint' ? v.toString() : v,
    );
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return Object.keys(doc).join(',');
  }
}
