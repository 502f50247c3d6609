import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { AlertFeed } from './alert-feed';

/** Counts of the alerts on screen. */
@Component({
  selector: 'app-alert-counter',
  imports: [DecimalPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="stat">
      <span class="value" data-testid="alert-count">{{ feed.rows().length }}</span>
      <span class="label">alerts</span>
    </div>
    <div class="stat">
      <span class="value">{{ strong() }}</span>
      <span class="label">M5 and above</span>
    </div>
    <div class="stat">
      <span class="value">
        @if (largest(); as m) {
          M{{ m | number: '1.1-1' }}
        } @else {
          –
        }
      </span>
      <span class="label">largest</span>
    </div>
  `,
})
export class AlertCounter {
  protected readonly feed = inject(AlertFeed);
  protected readonly strong = computed(
    () => this.feed.rows().filter((row) => row.alert.magnitude >= 5).length,
  );
  protected readonly largest = computed(() =>
    this.feed
      .rows()
      .reduce<number | undefined>(
        (max, row) => (max === undefined || row.alert.magnitude > max ? row.alert.magnitude : max),
        undefined,
      ),
  );
}
