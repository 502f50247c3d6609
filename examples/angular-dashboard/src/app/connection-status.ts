import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { AlertFeed } from './alert-feed';

/** The connection badge, and a note when the bus could not deliver some messages. */
@Component({
  selector: 'app-connection-status',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <span class="badge {{ feed.connection().tone }}" data-testid="connection">
      {{ feed.connection().label }}
    </span>
    @if (feed.lastGap(); as gap) {
      <span class="badge warning" data-testid="gap">
        @if (gap.reason === 'rewind') {
          bus lost seqs {{ gap.lostFrom }}–{{ gap.lostTo }}
        } @else {
          gap of {{ gap.nextSeq - gap.expectedSeq }} messages
        }
      </span>
    }
  `,
})
export class ConnectionStatus {
  protected readonly feed = inject(AlertFeed);
}
