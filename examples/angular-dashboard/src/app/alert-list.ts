import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { magnitudeClass } from './alert';
import { AlertFeed } from './alert-feed';

/** The latest alerts, newest on top, coloured by magnitude. */
@Component({
  selector: 'app-alert-list',
  imports: [DatePipe, DecimalPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <table class="alerts">
      <thead>
        <tr>
          <th>origin time (UTC)</th>
          <th>mag</th>
          <th>region</th>
          <th class="num">depth</th>
        </tr>
      </thead>
      <tbody>
        @for (row of feed.rows(); track row) {
          <tr
            class="alert mag-{{ magnitudeClass(row.alert.magnitude) }}"
            [attr.data-seq]="row.seq"
            [attr.data-event-id]="row.alert.eventId"
          >
            <td>{{ row.alert.originTime | date: 'yyyy-MM-dd HH:mm:ss' : 'UTC' }}</td>
            <td class="mag">M{{ row.alert.magnitude | number: '1.1-1' }}</td>
            <td>{{ row.alert.region }}</td>
            <td class="num">{{ row.alert.depthKm | number: '1.0-0' }} km</td>
          </tr>
        } @empty {
          <tr>
            <td colspan="4" class="empty">no alerts yet</td>
          </tr>
        }
      </tbody>
    </table>
  `,
})
export class AlertList {
  protected readonly feed = inject(AlertFeed);
  protected readonly magnitudeClass = magnitudeClass;
}
