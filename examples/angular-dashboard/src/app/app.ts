import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { AlertCounter } from './alert-counter';
import { AlertFeed } from './alert-feed';
import { AlertList } from './alert-list';
import { ConnectionStatus } from './connection-status';
import { MagnitudeChart } from './magnitude-chart';

/** The dashboard: four components fed by one HMB session (see {@link AlertFeed}). */
@Component({
  selector: 'app-root',
  imports: [AlertCounter, AlertList, ConnectionStatus, MagnitudeChart],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <header>
      <h1>Seismic alerts</h1>
      <app-connection-status />
      <code class="bus">{{ feed.busUrl }}</code>
    </header>
    <section class="summary">
      <app-alert-counter />
      <app-magnitude-chart />
    </section>
    <app-alert-list />
  `,
})
export class App {
  protected readonly feed = inject(AlertFeed);
}
