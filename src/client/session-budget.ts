import { isHmbError, type HmbErrorContext } from '../errors/hmb-error';
import { HmbSessionLimitError } from '../errors/session-limit-error';

/** The sessions one client holds on its bus right now. */
export interface HmbSessionBudget {
  /** Subscriptions whose session is open. */
  readonly subscriptions: number;
  /** Whether the client's publishing session (sends and shared sinks) is open. */
  readonly publishing: boolean;
}

/**
 * Turns the server's bare `503 maximum number of sessions per IP exceeded` into an error that says
 * where the budget went and what to do, so that whoever sees it (the state stream, at the first
 * refusal) can act instead of watching reconnects. Other errors pass unchanged.
 */
export function explainSessionLimit(error: unknown, budget: HmbSessionBudget): unknown {
  if (!isHmbError(error, 'HMB_ERR_SESSION_LIMIT')) return error;
  const refused = error as HmbSessionLimitError;
  if (refused.clientSessions !== undefined) return error;
  const held = budget.subscriptions + (budget.publishing ? 1 : 0);
  const parts = [`${budget.subscriptions} subscription(s)`];
  if (budget.publishing) parts.push('its publishing session');
  const message =
    `${refused.message} — this client already holds ${held} session(s) on this bus (${parts.join(' and ')}); ` +
    'the server allows a fixed number per address (10 by default) and refuses more while all are busy. ' +
    'Put several queues in one subscription, or share one subscription with shareSubscription() ' +
    '(docs/session-lifecycle.md, "The session budget")';
  return new HmbSessionLimitError(message, {
    ...contextOf(refused),
    cause: error,
    clientSessions: held,
  });
}

function contextOf(error: HmbSessionLimitError): HmbErrorContext {
  const context: { -readonly [K in keyof HmbErrorContext]: HmbErrorContext[K] } = {};
  for (const key of ['bus', 'sid', 'method', 'url', 'body'] as const) {
    const value = error[key];
    if (value !== undefined) context[key] = value;
  }
  if (error.status !== undefined) context.status = error.status;
  return context;
}
