import { filter, type OperatorFunction } from 'rxjs';
import type { HmbHeartbeat } from '../protocol/message';

/**
 * Drops HEARTBEAT frames, keeping everything else (and narrowing the type accordingly).
 * Subscriptions already do this unless you ask for heartbeats; use it on `client.events()` or on a
 * stream where you kept them for a liveness display.
 *
 * @example
 * ```ts
 * client.subscribe(params, { heartbeats: true }).pipe(withoutHeartbeats()).subscribe(console.log);
 * ```
 */
export function withoutHeartbeats<T extends { readonly kind: string }>(): OperatorFunction<
  T,
  Exclude<T, HmbHeartbeat>
> {
  return filter((frame): frame is Exclude<T, HmbHeartbeat> => frame.kind !== 'heartbeat');
}
