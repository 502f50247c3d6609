import { HmbBadParamError } from '../errors/bad-param-error';
import { describeGiven } from '../errors/describe-given';
import { HmbProtocolError } from '../errors/protocol-error';
import { bsonSeq } from './bson-codec';
import type { HmbFormat } from './hmb-format';
import type { HmbOpenAck, HmbOpenParams, HmbOpenQueueAck, HmbQueueParams } from './open-params';
import { formatHmbTime } from './time';
import { isValidTopicPattern } from './topic-pattern';

/**
 * Validates /open parameters and turns them into the document the server expects in `format`.
 *
 * Checks happen here, before anything is sent, for what the original server handles badly: a
 * queue given as `null` or an empty topic pattern crash its handler (the connection is dropped
 * without an answer, docs/protocol.md §6), a seq stored as a BSON double is refused, and times must be
 * strings with a `Z`.
 *
 * @throws HmbBadParamError naming the offending parameter.
 */
export function openParamsToWire(
  params: HmbOpenParams,
  format: HmbFormat,
): Record<string, unknown> {
  if (typeof params !== 'object' || params === null)
    throw new HmbBadParamError(`open parameters must be an object, got ${describeGiven(params)}`);
  const wire: Record<string, unknown> = {};
  if (params.cid !== undefined) {
    if (typeof params.cid !== 'string')
      throw new HmbBadParamError(`cid must be a string, got ${describeGiven(params.cid)}`);
    wire['cid'] = params.cid;
  }
  if (params.heartbeat !== undefined)
    wire['heartbeat'] = nonNegativeInt(params.heartbeat, 'heartbeat');
  if (params.recv_limit !== undefined) wire['recv_limit'] = int(params.recv_limit, 'recv_limit');
  if (params.queue !== undefined) {
    if (typeof params.queue !== 'object' || params.queue === null || Array.isArray(params.queue)) {
      // An array would pass as an object whose keys are "0", "1"…: queues nobody meant.
      throw new HmbBadParamError(
        `queue must be an object mapping queue names to their parameters, e.g. { queue: { MYQUEUE: {} } }, got ${describeGiven(params.queue)}`,
      );
    }
    const queues: Record<string, unknown> = {};
    for (const [name, queueParams] of Object.entries(params.queue)) {
      if (name === '') throw new HmbBadParamError('queue names must not be empty');
      queues[name] = queueParamsToWire(name, queueParams, format);
    }
    wire['queue'] = queues;
  }
  return wire;
}

function queueParamsToWire(
  name: string,
  params: HmbQueueParams,
  format: HmbFormat,
): Record<string, unknown> {
  const where = `queue ${JSON.stringify(name)}`;
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new HmbBadParamError(
      `${where}: parameters must be an object (use {} for the defaults), got ${describeGiven(params)}`,
      {
        queue: name,
      },
    );
  }
  const wire: Record<string, unknown> = {};
  if (params.topics !== undefined) {
    if (!Array.isArray(params.topics))
      throw new HmbBadParamError(
        `${where}: topics must be an array of topic patterns, e.g. ['EU*'], got ${describeGiven(params.topics)}`,
        { queue: name },
      );
    for (const pattern of params.topics) {
      if (typeof pattern !== 'string' || pattern === '' || !isValidTopicPattern(pattern)) {
        throw new HmbBadParamError(
          `${where}: invalid topic pattern ${describeGiven(pattern)} (word characters, ?, * and a leading ! only; not empty)`,
          { queue: name },
        );
      }
    }
    wire['topics'] = [...params.topics];
  }
  if (params.seq !== undefined) wire['seq'] = seqValue(params.seq, `${where}: seq`, format);
  if (params.endseq !== undefined)
    wire['endseq'] = seqValue(params.endseq, `${where}: endseq`, format);
  if (params.starttime !== undefined)
    wire['starttime'] = formatHmbTime(params.starttime, `${where}: starttime`);
  if (params.endtime !== undefined)
    wire['endtime'] = formatHmbTime(params.endtime, `${where}: endtime`);
  if (params.filter !== undefined) {
    if (
      typeof params.filter !== 'object' ||
      params.filter === null ||
      Array.isArray(params.filter)
    ) {
      throw new HmbBadParamError(
        `${where}: filter must be an object, got ${describeGiven(params.filter)}`,
        { queue: name },
      );
    }
    wire['filter'] = params.filter;
  }
  if (params.qlen !== undefined) wire['qlen'] = int(params.qlen, `${where}: qlen`);
  if (params.oowait !== undefined)
    wire['oowait'] = nonNegativeInt(params.oowait, `${where}: oowait`);
  if (params.keep !== undefined) wire['keep'] = bool(params.keep, `${where}: keep`);
  if (params.seedlink !== undefined) wire['seedlink'] = bool(params.seedlink, `${where}: seedlink`);
  return wire;
}

function seqValue(value: number, param: string, format: HmbFormat): unknown {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new HmbBadParamError(`${param} must be an integer, got ${describeGiven(value)}`);
  }
  return format === 'bson' ? bsonSeq(value) : value;
}

function int(value: number, param: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new HmbBadParamError(`${param} must be an integer, got ${describeGiven(value)}`);
  }
  return value;
}

function nonNegativeInt(value: number, param: string): number {
  const n = int(value, param);
  if (n < 0) throw new HmbBadParamError(`${param} must not be negative, got ${n}`);
  return n;
}

function bool(value: boolean, param: string): boolean {
  if (typeof value !== 'boolean')
    throw new HmbBadParamError(`${param} must be a boolean, got ${describeGiven(value)}`);
  return value;
}

/**
 * Checks and types the server's answer to /open (decoded from JSON or BSON).
 *
 * @throws HmbProtocolError when it lacks `sid`, `cid` or `queue`, or gives a queue a seq that is
 *   not a non-negative integer.
 */
export function openAckFromWire(doc: unknown): HmbOpenAck {
  if (typeof doc !== 'object' || doc === null)
    throw new HmbProtocolError('the /open reply is not a document');
  const wire = doc as Record<string, unknown>;
  const { sid, cid } = wire;
  if (typeof sid !== 'string' || sid === '')
    throw new HmbProtocolError('the /open reply has no sid');
  if (typeof cid !== 'string') throw new HmbProtocolError('the /open reply has no cid', { sid });
  const queue: Record<string, HmbOpenQueueAck> = {};
  const wireQueues = wire['queue'];
  if (typeof wireQueues === 'object' && wireQueues !== null) {
    for (const [name, entry] of Object.entries(wireQueues as Record<string, unknown>)) {
      const e = (entry ?? {}) as Record<string, unknown>;
      const seq = e['seq'];
      const error = e['error'];
      const n = seq === null || seq === undefined ? null : Number(seq);
      if (n !== null && (!Number.isSafeInteger(n) || n < 0)) {
        throw new HmbProtocolError(
          `the /open reply gives queue ${JSON.stringify(name)} an impossible seq: ${String(seq)}`,
          { sid, queue: name },
        );
      }
      queue[name] = { seq: n, error: typeof error === 'string' ? error : null };
    }
  }
  return { sid, cid, queue };
}
