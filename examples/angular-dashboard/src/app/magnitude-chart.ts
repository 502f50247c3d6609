import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { magnitudeClass, type MagnitudeClass } from './alert';
import { AlertFeed } from './alert-feed';

const WIDTH = 640;
const HEIGHT = 180;
const PAD = { left: 36, right: 12, top: 10, bottom: 24 };
/** The magnitude axis: 0 to 9 covers every earthquake ever recorded but one. */
const MAX_MAGNITUDE = 9;

interface Point {
  readonly x: number;
  readonly y: number;
  readonly cls: MagnitudeClass;
  readonly title: string;
}

/** Magnitude over origin time of the alerts on screen, in plain SVG. */
@Component({
  selector: 'app-magnitude-chart',
  imports: [DatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <svg [attr.viewBox]="'0 0 ' + width + ' ' + height" role="img" aria-label="magnitude over time">
      @for (m of gridLines; track m) {
        <line
          class="grid"
          [attr.x1]="pad.left"
          [attr.x2]="width - pad.right"
          [attr.y1]="yOf(m)"
          [attr.y2]="yOf(m)"
        />
        <text class="axis" [attr.x]="pad.left - 6" [attr.y]="yOf(m) + 4" text-anchor="end">
          M{{ m }}
        </text>
      }
      @if (span(); as s) {
        <text class="axis" [attr.x]="pad.left" [attr.y]="height - 6">
          {{ s.from | date: 'MMM d HH:mm' : 'UTC' }}
        </text>
        <text class="axis" [attr.x]="width - pad.right" [attr.y]="height - 6" text-anchor="end">
          {{ s.to | date: 'MMM d HH:mm' : 'UTC' }} UTC
        </text>
      }
      <polyline class="trend" [attr.points]="line()" />
      @for (p of points(); track $index) {
        <circle [attr.cx]="p.x" [attr.cy]="p.y" r="4" class="mag-{{ p.cls }}">
          <title>{{ p.title }}</title>
        </circle>
      }
    </svg>
  `,
})
export class MagnitudeChart {
  private readonly feed = inject(AlertFeed);
  protected readonly width = WIDTH;
  protected readonly height = HEIGHT;
  protected readonly pad = PAD;
  protected readonly gridLines = [2, 4, 6, 8];

  /** The time axis: from the oldest to the newest origin time on screen. */
  protected readonly span = computed(() => {
    const times = this.feed.rows().map((row) => Date.parse(row.alert.originTime));
    return times.length === 0 ? undefined : { from: Math.min(...times), to: Math.max(...times) };
  });

  protected readonly points = computed((): readonly Point[] => {
    const span = this.span();
    if (span === undefined) return [];
    const plotWidth = WIDTH - PAD.left - PAD.right;
    const range = Math.max(1, span.to - span.from);
    return this.feed
      .rows()
      .map((row) => ({ time: Date.parse(row.alert.originTime), alert: row.alert }))
      .sort((a, b) => a.time - b.time)
      .map(({ time, alert }) => ({
        x:
          PAD.left +
          (span.to === span.from ? plotWidth / 2 : ((time - span.from) / range) * plotWidth),
        y: this.yOf(alert.magnitude),
        cls: magnitudeClass(alert.magnitude),
        title: `M${alert.magnitude.toFixed(1)} ${alert.region}`,
      }));
  });

  protected readonly line = computed(() =>
    this.points()
      .map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`)
      .join(' '),
  );

  protected yOf(magnitude: number): number {
    const clamped = Math.min(MAX_MAGNITUDE, Math.max(0, magnitude));
    return HEIGHT - PAD.bottom - (clamped / MAX_MAGNITUDE) * (HEIGHT - PAD.top - PAD.bottom);
  }
}
