import { HmbFilterError } from '../../errors/filter-error';
import { compileFilter } from '../../protocol/filter';
import { compileTopicPatterns, isValidTopicPattern } from '../../protocol/topic-pattern';
import type { HmbFilterPredicate } from '../../protocol/filter';
import { readBody } from '../http/consume-body';
import { sendBody } from '../http/respond';
import { newCid, newSid } from '../ids';
import type { RequestContext } from '../request-context';
import { resolveStart } from '../resolve-start';
import { ServerSession } from '../server-session';
import { Subscription } from '../subscription';
import { BsonWriter } from '../wire/bson-writer';
import { decodeOpenBson, decodeOpenJson, type OpenQueueParams } from '../wire/decode-open';
import { goJsonObject, goJsonRecord, goJsonScalar } from '../wire/go-json-object';
import { goTimeNow } from '../wire/go-time';

/** The per-queue answer to a queue given as `null` (the original's handler crashes on it). */
export const INVALID_QUEUE_PARAMETERS = 'invalid queue parameters';
/** The per-queue answer to a bad topic pattern, including `""` (which crashes the original). */
export const INVALID_TOPIC = 'topic contains invalid characters';

interface QueueAck {
  readonly seq: number | null;
  readonly error: string | null;
}

type Built = { readonly sub: Subscription } | { readonly error: string };

function buildSubscription(
  ctx: RequestContext,
  name: string,
  params: OpenQueueParams | null,
): Built {
  const queue = ctx.bus.queue(name);
  if (queue === undefined) return { error: 'queue not found' };
  if (params === null) return { error: INVALID_QUEUE_PARAMETERS };
  if (params.topics !== null && params.topics.some((t) => t === '' || !isValidTopicPattern(t))) {
    return { error: INVALID_TOPIC };
  }
  let filter: HmbFilterPredicate | null = null;
  if (params.filter !== undefined) {
    try {
      const compiled = compileFilter(params.filter, { regex: ctx.core.options.regex });
      // A filter that throws on some message must not break delivery: it simply does not match.
      filter = (target) => {
        try {
          return compiled(target);
        } catch {
          return false;
        }
      };
    } catch (err) {
      // Every filter problem is a per-queue error, as on the original; an unexpected failure of
      // the evaluator is reported the same way rather than failing the whole /open.
      if (err instanceof HmbFilterError) return { error: err.message };
      return { error: err instanceof Error ? err.message : 'invalid filter expression' };
    }
  }
  const start = resolveStart(queue, params);
  return {
    sub: new Subscription(queue, start, {
      topics: params.topics,
      matchTopic: compileTopicPatterns(params.topics),
      endseq: params.endseq !== null && params.endseq >= 0 ? params.endseq : null,
      starttime: params.starttime,
      endtime: params.endtime,
      filter,
      qlen: params.qlen,
      oowait: params.oowait,
      keep: params.keep ?? true,
      seedlink: params.seedlink,
    }),
  };
}

/**
 * POST /{bus}/open (docs/protocol.md §6): decodes the parameters (JSON only under the exact
 * `Content-Type: application/json`, BSON otherwise), makes room under the per-IP cap, joins each
 * queue or reports its problem in the 200 answer, and answers in the request's format.
 */
export async function handleOpen(ctx: RequestContext): Promise<void> {
  const { end, body } = await readBody(ctx.req, ctx.core.options.maxBodyBytes);
  if (end === 'aborted') return;
  if (end === 'too-large') return ctx.fail(400, 'http: request body too large', true);
  const json = ctx.isJson();
  const decoded = json ? decodeOpenJson(body) : decodeOpenBson(body);
  if (!decoded.ok) return ctx.fail(400, decoded.error);
  const request = decoded.value;
  const bus = ctx.bus;
  if (bus.makeRoomFor(ctx.ip) === 'full')
    return ctx.fail(503, 'maximum number of sessions per IP exceeded');

  const acks = new Map<string, QueueAck>();
  const subscriptions: Subscription[] = [];
  for (const [name, params] of request.queues) {
    const built = buildSubscription(ctx, name, params);
    if ('error' in built) {
      acks.set(name, { seq: null, error: built.error });
    } else {
      subscriptions.push(built.sub);
      acks.set(name, { seq: built.sub.next, error: null });
    }
  }
  let sid = newSid();
  while (bus.sessions.has(sid)) sid = newSid();
  const cid = request.cid !== null && request.cid !== '' ? request.cid : newCid();
  const format = json ? 'JSON' : 'BSON';
  const session = new ServerSession(
    {
      sid,
      cid,
      format,
      heartbeat: request.heartbeat,
      recvLimit: request.recvLimit,
      address: ctx.address,
      ip: ctx.ip,
      ctime: goTimeNow(),
      subscriptions,
    },
    bus,
  );
  bus.addSession(session);
  ctx.core.options.logger({
    type: 'session-opened',
    bus: bus.name,
    sid,
    cid,
    address: ctx.address,
    format,
  });

  if (json) {
    const queues = [...acks].map(
      ([name, ack]) => [name, goJsonRecord({ seq: ack.seq, error: ack.error })] as const,
    );
    const reply = goJsonObject([
      ['sid', goJsonScalar(sid)],
      ['cid', goJsonScalar(cid)],
      ['queue', goJsonObject(queues)],
    ]);
    sendBody(ctx.res, 'application/json', reply);
  } else {
    const w = new BsonWriter().beginDocument().string('sid', sid).string('cid', cid);
    w.name(0x03, 'queue').beginDocument();
    for (const [name, ack] of acks) {
      if (name.includes('\0')) continue;
      w.name(0x03, name).beginDocument();
      if (ack.seq === null) w.null('seq');
      else w.int64('seq', ack.seq);
      if (ack.error === null) w.null('error');
      else w.string('error', ack.error);
      w.endDocument();
    }
    w.endDocument().endDocument();
    sendBody(ctx.res, 'application/bson', w.finish());
  }
}
