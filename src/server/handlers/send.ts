import { consumeBody, readBody } from '../http/consume-body';
import { sendEmpty } from '../http/respond';
import type { RequestContext } from '../request-context';
import type { ServerSession } from '../server-session';
import { BsonSplitter, INVALID_BSON_SIZE } from '../wire/bson-splitter';
import {
  checkMessage,
  decodeSendBson,
  decodeSendJson,
  type IncomingMessage,
} from '../wire/decode-send';

/** The answer when a send would create one queue more than `maxQueuesPerBus`. */
export const TOO_MANY_QUEUES = 'maximum number of queues exceeded';

/** The answer when the messages could not be written to the logs (a 503, as the original's storage errors). */
export const STORAGE_FAILED = 'error writing messages to storage';

/** Waits until the storage holds everything stored so far; false when writing failed. */
async function committed(ctx: RequestContext): Promise<boolean> {
  const storage = ctx.core.storage;
  if (storage === undefined) return true;
  try {
    await storage.commit();
    return true;
  } catch {
    return false;
  }
}

interface SendFailure {
  readonly status: number;
  readonly message: string;
}

/** Checks and stores one message; the sender is always the session's cid. */
function storeOne(
  ctx: RequestContext,
  session: ServerSession,
  msg: IncomingMessage,
): SendFailure | undefined {
  const check = checkMessage(msg);
  if (check.kind === 'invalid') return { status: 400, message: check.error };
  if (check.kind === 'heartbeat') return undefined;
  const outcome = ctx.bus.store(
    {
      type: check.type,
      queue: check.queue,
      sender: session.cid,
      topic: check.topic,
      starttime: msg.starttime,
      endtime: msg.endtime,
      scMessageType: msg.scMessageType,
      scContentType: msg.scContentType,
      gdacs: msg.gdacs,
      data: msg.data,
    },
    msg.seq === undefined ? undefined : Number(msg.seq),
  );
  return outcome === 'stored' ? undefined : { status: 503, message: TOO_MANY_QUEUES };
}

/**
 * POST /{bus}/send/{sid} (docs/protocol.md §7, §8): `204` once every message is stored, and with
 * `persistDir` written to the logs. Messages go onto the
 * bus one at a time, so those before a bad one stay stored (no atomicity). A JSON body is decoded
 * whole first; BSON documents are stored as they arrive.
 */
export async function handleSend(ctx: RequestContext): Promise<void> {
  const session = ctx.bus.sessions.get(ctx.args[0]!);
  if (session === undefined) return ctx.fail(400, 'invalid session');
  session.begin();
  try {
    const failure = ctx.isJson() ? await sendJson(ctx, session) : await sendBson(ctx, session);
    if (failure !== undefined) {
      // What was stored before the failure stays on the bus, so it is written now too; the answer
      // promises nothing about it and does not wait.
      void committed(ctx);
      if (failure === 'aborted') return;
      return ctx.fail(
        failure.status,
        failure.message,
        failure.status === 400 && failure.message.endsWith('request body too large'),
      );
    }
    // Acknowledge only what is written to the logs: a crash after the 204 must not lose it.
    // Sends answering at the same time share the writes.
    if (!(await committed(ctx))) return ctx.fail(503, STORAGE_FAILED);
    sendEmpty(ctx.res, 204);
  } finally {
    session.end();
  }
}

async function sendJson(
  ctx: RequestContext,
  session: ServerSession,
): Promise<SendFailure | 'aborted' | undefined> {
  const { end, body } = await readBody(ctx.req, ctx.core.options.maxBodyBytes);
  session.sent += body.length;
  if (end === 'aborted') return 'aborted';
  if (end === 'too-large')
    return { status: 400, message: 'invalid JSON data: http: request body too large' };
  const decoded = decodeSendJson(body);
  if (!decoded.ok) return { status: 400, message: decoded.error };
  for (const msg of decoded.value) {
    const failure = storeOne(ctx, session, msg);
    if (failure !== undefined) return failure;
  }
  return undefined;
}

async function sendBson(
  ctx: RequestContext,
  session: ServerSession,
): Promise<SendFailure | 'aborted' | undefined> {
  const splitter = new BsonSplitter();
  let failure: SendFailure | undefined;
  const end = await consumeBody(ctx.req, ctx.core.options.maxBodyBytes, (chunk) => {
    session.sent += chunk.length;
    let docs: Buffer[];
    try {
      docs = splitter.push(chunk);
    } catch {
      failure = { status: 400, message: INVALID_BSON_SIZE };
      return false;
    }
    for (const doc of docs) {
      const decoded = decodeSendBson(doc);
      failure = decoded.ok
        ? storeOne(ctx, session, decoded.value)
        : { status: 400, message: decoded.error };
      if (failure !== undefined) return false;
    }
    return true;
  });
  if (failure !== undefined) return failure;
  if (end === 'aborted') return 'aborted';
  if (end === 'too-large') return { status: 400, message: 'http: request body too large' };
  return undefined;
}
