import { ApplicationRef } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { App } from './app/app';
import { appConfig } from './app/app.config';

/** What the end-to-end test reads from the page (see spec/browser/angular-dashboard.spec.ts). */
interface DashboardTestHooks {
  /** Resolves when Angular is stable: no pending change detection and no pending task. */
  whenStable(): Promise<void>;
}

declare global {
  interface Window {
    hmbDashboard?: DashboardTestHooks;
  }
}

bootstrapApplication(App, appConfig)
  .then((ref) => {
    const appRef = ref.injector.get(ApplicationRef);
    window.hmbDashboard = { whenStable: () => appRef.whenStable() };
  })
  .catch((error: unknown) => console.error(error));
