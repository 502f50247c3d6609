/**
 * An alert pipeline over two data centres: both relay the same seismic alerts on their own HMB
 * bus, with overlaps and in their own order. The pipeline merges the two buses, keeps the regions
 * and magnitudes it cares about, validates the payload, lets each event through once (whichever
 * bus has it first), puts alerts in origin-time order, and throttles notifications per region so
 * that an aftershock sequence does not flood the pager.
 *
 * Run it with `npx tsx examples/alert-pipeline.ts`: it starts two embedded buses, publishes the
 * sample alerts to both (overlapping), and prints what the pipeline lets through.
 */
import {
  defer,
  finalize,
  groupBy,
  map,
  mergeMap,
  throttleTime,
  type Observable,
  type SchedulerLike,
} from 'rxjs';
import {
  decodeData,
  HmbClient,
  mergeBuses,
  ofTopic,
  whereData,
  type HmbSourceFailure,
  type HmbSubscribeParams,
} from '../src/node';
import { startHmbServer } from '../src/server/index';
import { SAMPLE_ALERTS, topicOf, type SeismicAlert } from './sample-alerts';

/** The queue the data centres publish alerts to. */
export const ALERT_QUEUE = 'SYSTEM_ALERT';

/** Options of {@link alertPipeline}. */
export interface AlertPipelineOptions {
  /** Topic patterns of the regions to watch (default Europe and Asia-Pacific). */
  readonly regions?: readonly string[];
  /** Smallest magnitude worth a notification (default 4.5). */
  readonly minMagnitude?: number;
  /** At most one notification per region per this many ms, plus the latest at the end (default 60 s; 0: off). */
  readonly throttleMs?: number;
  /** How long an alert waits for earlier ones from the slower bus, in ms (default 2 s). */
  readonly reorderLagMs?: number;
  /**
   * `false` (default): follow the buses live. `true`: read what they hold now and complete, e.g.
   * to rebuild a notification log after a restart.
   */
  readonly replay?: boolean;
  /** Told when a bus fails for good (the other goes on). */
  readonly onBusError?: (failure: HmbSourceFailure) => void;
  /** Where the throttle's time comes from (tests may pass a virtual one). */
  readonly scheduler?: SchedulerLike;
}

/** One notification: the alert, its region and the bus that delivered it first. */
export interface AlertNotice {
  readonly alert: SeismicAlert;
  readonly region: string;
  readonly bus: string;
}

/** Checks an alert's shape before anyone pages on it (a relay could forward anything). */
export function isSeismicAlert(data: unknown): data is SeismicAlert {
  if (typeof data !== 'object' || data === null) return false;
  const a = data as Record<string, unknown>;
  return (
    typeof a['eventId'] === 'string' &&
    typeof a['region'] === 'string' &&
    typeof a['magnitude'] === 'number' &&
    typeof a['originTime'] === 'string' &&
    !Number.isNaN(Date.parse(a['originTime']))
  );
}

/**
 * The pipeline: notifications from several buses, once per event, in origin-time order,
 * throttled per region. Cold: each subscription opens one session per bus and closes its clients
 * when it ends.
 *
 * @param busUrls - the data centres' bus URLs, e.g. `http://dc1.example.org:8000/alerts`.
 */
export function alertPipeline(
  busUrls: readonly string[],
  options: AlertPipelineOptions = {},
): Observable<AlertNotice> {
  const regions = options.regions ?? ['EUROPE', 'ASIA_*'];
  const minMagnitude = options.minMagnitude ?? 4.5;
  const throttleMs = options.throttleMs ?? 60_000;
  const params: HmbSubscribeParams = {
    // Live: new alerts only. Replay: everything the bus holds, ending at EOF.
    queue: { [ALERT_QUEUE]: options.replay === true ? { seq: 0, keep: false } : {} },
    heartbeat: 10,
  };
  return defer(() => {
    const clients = busUrls.map((url) => new HmbClient(url, { format: 'bson' }));
    return mergeBuses<unknown>(
      // Live, a data centre may not have created the queue yet: wait for it. A replay has
      // nothing to wait for: a missing queue fails that bus (reported to onBusError).
      clients.map((client) => ({
        client,
        params,
        options: { waitForQueues: options.replay !== true },
      })),
      {
        // The same event relayed by both data centres appears once; an hour is far longer
        // than any relay delay, and 10,000 events bound the memory.
        dedupe: {
          key: (m) => (isSeismicAlert(m.data) ? m.data.eventId : undefined),
          windowMs: 60 * 60_000,
          windowSize: 10_000,
        },
        reorder: {
          time: (m) => (isSeismicAlert(m.data) ? m.data.originTime : Number.NaN),
          lagMs: options.reorderLagMs ?? 2_000,
        },
        ...(options.onBusError === undefined ? {} : { onSourceError: options.onBusError }),
      },
    ).pipe(
      // Filtered on the merged stream with the server's own semantics, so the same code works
      // whatever the relays' servers support.
      ofTopic(...regions),
      decodeData(isSeismicAlert, {
        onInvalid: (error) => console.warn(`dropped: ${error.message}`),
      }),
      whereData({ type: ALERT_QUEUE, 'data.magnitude': { $gte: minMagnitude } }),
      // Per region: the first alert at once, then at most one per throttleMs (the latest).
      groupBy((m) => m.topic ?? ''),
      mergeMap((region) =>
        throttleMs > 0
          ? region.pipe(
              throttleTime(throttleMs, options.scheduler, { leading: true, trailing: true }),
            )
          : region,
      ),
      map((m): AlertNotice => ({ alert: m.data, region: m.topic ?? '', bus: m.bus })),
      finalize(() => {
        for (const client of clients) void client.close();
      }),
    );
  });
}

/** Publishes alerts to a bus, each with its region as topic. */
export async function publishAlerts(
  busUrl: string,
  alerts: readonly SeismicAlert[],
): Promise<void> {
  const client = new HmbClient(busUrl);
  try {
    await client.send(
      alerts.map((alert) => ({
        type: ALERT_QUEUE,
        queue: ALERT_QUEUE,
        topic: topicOf(alert),
        data: alert,
      })),
    );
  } finally {
    await client.close();
  }
}

/** How the two data centres see the sample alerts: overlapping, and in their own order. */
export function dataCentreFeeds(): readonly [SeismicAlert[], SeismicAlert[]] {
  // DC1 has the first nine in order; DC2 has the last eight, newest first (a relay catching up).
  return [SAMPLE_ALERTS.slice(0, 9), SAMPLE_ALERTS.slice(4).reverse()];
}

function line(n: AlertNotice): string {
  const a = n.alert;
  return `${a.originTime.slice(11, 19)}  M${a.magnitude.toFixed(1)}  ${a.region.padEnd(34)} [${n.region}] via ${new URL(n.bus).port}`;
}

async function main(): Promise<void> {
  const [dc1, dc2] = await Promise.all([startHmbServer({ port: 0 }), startHmbServer({ port: 0 })]);
  try {
    const urls = [`${dc1.url}/alerts`, `${dc2.url}/alerts`];
    const [feed1, feed2] = dataCentreFeeds();
    await Promise.all([publishAlerts(urls[0]!, feed1), publishAlerts(urls[1]!, feed2)]);
    console.log(`DC1 ${urls[0]}: ${feed1.length} alerts; DC2 ${urls[1]}: ${feed2.length} alerts\n`);
    await new Promise<void>((resolve, reject) => {
      alertPipeline(urls, { replay: true, throttleMs: 500, reorderLagMs: 500 }).subscribe({
        next: (notice) => console.log(line(notice)),
        error: reject,
        complete: resolve,
      });
    });
  } finally {
    await Promise.all([dc1.close(), dc2.close()]);
  }
}

// Run only when executed directly (`npx tsx examples/alert-pipeline.ts`), not when imported.
if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
