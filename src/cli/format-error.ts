import { isHmbError } from '../node';

/**
 * An error as one line for stderr: the hmb-rx error code first (stable, searchable in
 * docs/errors.md), then the message; never a stack trace (set `HMB_DEBUG=1` for that).
 *
 * @example
 * ```ts
 * formatError(new HmbQueueNotFoundError('queue not found: NOPE')); // 'HMB_ERR_QUEUE_NOT_FOUND: queue not found: NOPE'
 * ```
 */
export function formatError(error: unknown): string {
  if (isHmbError(error)) {
    const status = error.status === undefined ? '' : ` (HTTP ${error.status})`;
    return oneLine(`${error.code}: ${error.message}${status}`);
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return oneLine(typeof code === 'string' ? `${code}: ${error.message}` : error.message);
  }
  return oneLine(String(error));
}

/** Why something failed, without the code: for "reconnecting because …". */
export function errorReason(error: unknown): string {
  if (error instanceof Error) return oneLine(error.message);
  return oneLine(String(error));
}

/** Server texts end with a newline and some causes span lines: one line keeps logs greppable. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
