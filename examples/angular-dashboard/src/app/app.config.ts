import { provideZonelessChangeDetection, type ApplicationConfig } from '@angular/core';

/**
 * Zoneless: change detection runs when a signal the templates read changes, not when some
 * asynchronous task ends. An HMB long poll is a request that stays open for up to a heartbeat
 * interval; under zone.js it would count as pending work and keep the application from ever
 * becoming stable.
 */
export const appConfig: ApplicationConfig = {
  providers: [provideZonelessChangeDetection()],
};
