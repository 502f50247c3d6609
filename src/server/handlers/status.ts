import { sendBody } from '../http/respond';
import type { RequestContext } from '../request-context';
import { goJsonObject, goJsonRecord, goJsonScalar } from '../wire/go-json-object';

/**
 * GET /{bus}/status (docs/protocol.md §5): every session of the bus, idle ones included until
 * swept.
 */
export function handleStatus(ctx: RequestContext): void {
  const sessions: Array<[string, string]> = [];
  for (const session of ctx.bus.sessions.values()) {
    const s = session.status();
    const queues = Object.entries(s.queue).map(
      ([name, q]) => [name, goJsonRecord({ ...q })] as const,
    );
    const fields: Array<[string, string]> = [
      ['cid', goJsonScalar(s.cid)],
      ['address', goJsonScalar(s.address)],
      ['ctime', goJsonScalar(s.ctime)],
      ['sent', goJsonScalar(s.sent)],
      ['received', goJsonScalar(s.received)],
      ['format', goJsonScalar(s.format)],
      ['heartbeat', goJsonScalar(s.heartbeat)],
      ['recv_limit', goJsonScalar(s.recv_limit)],
      ['queue', goJsonObject(queues)],
    ];
    sessions.push([session.sid, goJsonObject(fields)]);
  }
  sendBody(ctx.res, 'application/json', goJsonObject([['session', goJsonObject(sessions)]]));
}
