import { DOCUMENT, InjectionToken, inject } from '@angular/core';

/**
 * Where the bus is when the page names none: the same origin, under `/hmb/`, as a reverse proxy in
 * front of the original server serves it (see docs/angular.md).
 */
export const DEFAULT_BUS_PATH = '/hmb/alerts';

/**
 * The bus the dashboard reads: `?bus=http://127.0.0.1:8000/alerts` in the page's address, or
 * {@link DEFAULT_BUS_PATH}. Provide another value to configure it in code.
 */
export const BUS_URL = new InjectionToken<string>('hmb bus URL', {
  providedIn: 'root',
  factory: () => busUrlOf(inject(DOCUMENT).location),
});

/**
 * The bus URL a page address names, made absolute: the page shows it, and it keys what the page
 * keeps in localStorage, so one bus must have one spelling.
 */
export function busUrlOf(location: Pick<Location, 'href' | 'search'>): string {
  const named = new URLSearchParams(location.search).get('bus');
  return new URL(named ?? DEFAULT_BUS_PATH, location.href).href;
}
