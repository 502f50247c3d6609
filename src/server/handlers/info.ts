import { sendBody } from '../http/respond';
import type { RequestContext } from '../request-context';
import { goJsonObject, goJsonRecord, goJsonScalar } from '../wire/go-json-object';

/**
 * GET /{bus}/info (docs/protocol.md §4): every queue, `topic` singular, null for an empty queue.
 */
export function handleInfo(ctx: RequestContext): void {
  const queues: Array<[string, string]> = [];
  for (const queue of ctx.bus.queues.values()) {
    const info = queue.info();
    const topic =
      info.topic === null
        ? 'null'
        : goJsonObject(
            Object.entries(info.topic).map(([name, t]) => [
              name,
              goJsonRecord({ starttime: t.starttime, endtime: t.endtime }),
            ]),
          );
    const fields: Array<[string, string]> = [
      ['startseq', goJsonScalar(info.startseq)],
      ['starttime', goJsonScalar(info.starttime)],
      ['endseq', goJsonScalar(info.endseq)],
      ['endtime', goJsonScalar(info.endtime)],
      ['topic', topic],
    ];
    queues.push([queue.name, goJsonObject(fields)]);
  }
  sendBody(ctx.res, 'application/json', goJsonObject([['queue', goJsonObject(queues)]]));
}
