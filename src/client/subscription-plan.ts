import { HmbBadParamError } from '../errors/bad-param-error';
import type { HmbReceiveMode } from '../session/batch-source';
import type { HmbQueueParams, HmbSubscribeParams } from '../protocol/open-params';
import {
  DEFAULT_HEARTBEAT_SEC,
  type HmbClientOptions,
  type HmbSubscribeOptions,
} from './client-options';
import { checkSubscribeOptions, checkSubscribeParams } from './validate-options';

/** The public method a subscription was made with, for error messages and its defaults. */
export type HmbSubscribeMethod = 'events' | 'subscribe' | 'recvAll';

/** One subscription's parameters and options, checked and with every default filled in. */
export interface HmbSubscriptionPlan {
  /** The /open parameters, with the client's default heartbeat when they name none. */
  readonly params: HmbSubscribeParams;
  /** The client's `subscribeDefaults` under the call's own options. */
  readonly options: HmbSubscribeOptions;
  readonly receiveMode: HmbReceiveMode;
}

/**
 * The first part of a subscription: merges the call's options over the client's defaults, checks
 * parameters and options, and fills in the heartbeat.
 *
 * @throws HmbBadParamError for an invalid parameter or option, naming the method.
 */
export function planSubscription(
  params: HmbSubscribeParams,
  callOptions: HmbSubscribeOptions,
  method: HmbSubscribeMethod,
  client: { readonly options: HmbClientOptions; readonly receiveMode: HmbReceiveMode },
): HmbSubscriptionPlan {
  checkSubscribeOptions(callOptions, method);
  checkSubscribeParams(params, method);
  const options: HmbSubscribeOptions = {
    ...client.options.subscribeDefaults,
    ...callOptions,
    // A window read to its end: no heartbeats to watch for.
    ...(method === 'recvAll' ? { heartbeats: false } : {}),
  };
  const receiveMode = options.transport ?? client.receiveMode;
  return {
    params: withDefaultHeartbeat(
      method === 'recvAll' ? readToEnd(params) : params,
      receiveMode,
      client.options.heartbeat,
    ),
    options,
    receiveMode,
  };
}

/** recvAll's parameters: every queue read once, to its end (`keep: false`); checked already. */
function readToEnd(params: HmbSubscribeParams): HmbSubscribeParams {
  const queue: Record<string, HmbQueueParams> = {};
  for (const [name, p] of Object.entries(params.queue)) queue[name] = { ...p, keep: false };
  return { ...params, queue };
}

/** The user's parameters (checked already), with the default heartbeat filled in. */
function withDefaultHeartbeat(
  params: HmbSubscribeParams,
  mode: HmbReceiveMode,
  clientHeartbeat: number | undefined,
): HmbSubscribeParams {
  for (const name of Object.keys(params.queue)) {
    if (name.includes('/') && mode !== 'stream') {
      // The continuity suffix /recv/sid/queue/seq cannot carry such a name (docs/protocol.md,
      // "What the client does": queue names with `/`); a stream needs no suffix (it reconnects by
      // opening a new session).
      throw new HmbBadParamError(
        `queue name ${JSON.stringify(name)} contains "/": it cannot be polled, use transport 'stream'`,
        { queue: name },
      );
    }
  }
  if (params.heartbeat !== undefined) return params;
  const heartbeat = clientHeartbeat ?? DEFAULT_HEARTBEAT_SEC;
  return heartbeat > 0 ? { ...params, heartbeat } : params;
}
