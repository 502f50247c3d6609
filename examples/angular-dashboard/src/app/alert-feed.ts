import { DestroyRef, Injectable, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import {
  HmbClient,
  LocalStorageCursorStore,
  shareSubscription,
  type HmbConnectionState,
  type HmbEvent,
  type HmbGap,
} from 'hmb-rx';
import { filter, map, type Observable } from 'rxjs';
import { ALERT_QUEUE, isSeismicAlert } from './alert';
import { AlertHistory } from './alert-history';
import { BUS_URL } from './bus-url';
import { CONNECTING, connectionBadges } from './connection-badge';

/** How many of the bus's latest alerts a first visit shows. */
const FIRST_VISIT_BACKLOG = 50;

/**
 * The page's one HMB session and what the components read from it, as signals.
 *
 * The bus caps sessions per client address (10 by default), so the components never subscribe on
 * their own: `events$` is shared, and every subscriber of it (this service twice, and any
 * component that wants the raw events) reads the same session.
 */
@Injectable({ providedIn: 'root' })
export class AlertFeed {
  /** The bus, e.g. `http://127.0.0.1:8000/alerts`. */
  readonly busUrl = inject(BUS_URL);

  private readonly client = new HmbClient(this.busUrl);
  private readonly history = new AlertHistory(localStorage, `hmb-dashboard:rows:${this.busUrl}`);

  /**
   * Every event of the page's subscription: messages, connection states, gaps. A reloaded page
   * resumes from the position saved in localStorage; a first visit starts with the latest
   * alerts. The queue may not exist yet (no alert published so far): then the subscription
   * waits for it.
   */
  readonly events$: Observable<HmbEvent> = shareSubscription(
    this.client.events(
      { queue: { [ALERT_QUEUE]: { seq: -FIRST_VISIT_BACKLOG } } },
      {
        waitForQueues: true,
        cursor: { store: new LocalStorageCursorStore(), key: `dashboard:${this.busUrl}` },
      },
    ),
    { gracePeriodMs: 10_000 },
  );

  private readonly rowsNow = signal(this.history.rows);
  private readonly gapNow = signal<HmbGap | undefined>(undefined);
  private readonly ignoredNow = signal(0);

  /** The alerts, newest first. */
  readonly rows = this.rowsNow.asReadonly();
  /** The last gap: messages the bus could no longer deliver. */
  readonly lastGap = this.gapNow.asReadonly();
  /** Messages on the queue whose data is not an alert. */
  readonly ignored = this.ignoredNow.asReadonly();
  /** The connection badge, from the session's connection states. */
  readonly connection = toSignal(
    connectionBadges(
      this.events$.pipe(
        filter((event) => event.kind === 'state'),
        map((event): HmbConnectionState => event.state),
      ),
    ),
    { initialValue: CONNECTING },
  );

  constructor() {
    this.events$.pipe(takeUntilDestroyed()).subscribe((event) => {
      if (event.kind === 'message') {
        if (!isSeismicAlert(event.data)) {
          this.ignoredNow.update((n) => n + 1);
          return;
        }
        const rows = this.history.add({ queue: event.queue, seq: event.seq, alert: event.data });
        if (rows !== undefined) this.rowsNow.set(rows);
      } else if (event.kind === 'gap') {
        this.gapNow.set(event);
        if (event.reason === 'rewind') this.history.resetQueue(event.queue, event.nextSeq);
      }
    });
    inject(DestroyRef).onDestroy(() => this.client.close());
  }
}
