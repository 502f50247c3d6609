import type { HmbConnectionState } from 'hmb-rx';
import { map, of, switchMap, takeWhile, timer, type Observable } from 'rxjs';

/** What the connection badge shows. */
export interface ConnectionBadge {
  readonly label: string;
  readonly tone: 'pending' | 'live' | 'warning' | 'stopped';
}

export const CONNECTING: ConnectionBadge = { label: 'connecting', tone: 'pending' };

/**
 * The badge for each connection state, with a countdown while a reconnect waits: "reconnecting
 * in 3 s", "… 2 s", "… 1 s", then whatever state comes next.
 */
export function connectionBadges(
  states: Observable<HmbConnectionState>,
): Observable<ConnectionBadge> {
  return states.pipe(
    switchMap((state) =>
      state.type === 'resuming' ? countdown(state.delayMs) : of(badgeOf(state)),
    ),
  );
}

function countdown(delayMs: number): Observable<ConnectionBadge> {
  const seconds = Math.max(1, Math.ceil(delayMs / 1000));
  return timer(0, 1000).pipe(
    map((elapsed) => seconds - elapsed),
    takeWhile((left) => left > 0),
    map((left) => ({ label: `reconnecting in ${left} s`, tone: 'warning' as const })),
  );
}

function badgeOf(state: Exclude<HmbConnectionState, { type: 'resuming' }>): ConnectionBadge {
  switch (state.type) {
    case 'opening':
      return state.attempt === 0 ? CONNECTING : { label: 'reconnecting', tone: 'warning' };
    case 'open':
      return { label: 'live', tone: 'live' };
    case 'lost':
      return { label: 'reconnecting', tone: 'warning' };
    case 'closed':
      return { label: state.error === undefined ? 'closed' : 'stopped', tone: 'stopped' };
  }
}
