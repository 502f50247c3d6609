/**
 * The hmb-rx demo: start the embedded HMB bus, publish sample seismic alerts through a sink,
 * consume them through an RxJS pipeline (topic filter, magnitude filter, formatting) and print
 * them. Run with `npm run demo`.
 */
import { filter, firstValueFrom, from, map, take, tap, timeout, toArray } from 'rxjs';
import { HmbClient, type HmbMessage } from '../src/node';
import { startHmbServer } from '../src/server/index';
import { SAMPLE_ALERTS, topicOf, type SeismicAlert } from './sample-alerts';

const MIN_MAGNITUDE = 4.0;

function line(m: HmbMessage<SeismicAlert>): string {
  const a = m.data!;
  const mag = `${a.magnitudeType} ${a.magnitude.toFixed(1)}`.padEnd(7);
  return `#${String(m.seq).padStart(2)}  ${a.originTime.slice(11, 19)}  ${mag} ${a.region.padEnd(34)} ${String(a.depthKm).padStart(3)} km  [${m.topic}]`;
}

async function main(): Promise<void> {
  // 1. The bus: an embedded, protocol-faithful HMB server on a free loopback port.
  const server = await startHmbServer({ port: 0 });
  const busUrl = `${server.url}/demo`;
  console.log(`embedded HMB bus at ${busUrl}\n`);
  const client = new HmbClient(busUrl, { format: 'bson' });

  try {
    // 2. A live subscriber, opened before anything is published: Europe and Asia-Pacific only
    //    (server-side topic patterns), magnitude >= 4 (an RxJS filter), formatted for printing.
    const expected = SAMPLE_ALERTS.filter(
      (a) => ['EUROPE', 'ASIA_PACIFIC'].includes(topicOf(a)) && a.magnitude >= MIN_MAGNITUDE,
    ).length;
    let opened!: () => void;
    const ready = new Promise<void>((resolve) => (opened = resolve));
    const printed = firstValueFrom(
      client
        .subscribe<SeismicAlert>(
          { queue: { SYSTEM_ALERT: { topics: ['EUROPE', 'ASIA_*'] } }, heartbeat: 5 },
          { waitForQueues: true, onState: (s) => s.type === 'open' && opened() },
        )
        .pipe(
          filter((m) => (m.data?.magnitude ?? 0) >= MIN_MAGNITUDE),
          tap((m) => console.log(line(m))),
          take(expected),
          toArray(),
          timeout(10_000),
        ),
    );
    await ready;

    // 3. Publish the sample alerts through a sink (batched, in order, every result reported).
    const sink = client.sink<SeismicAlert>();
    from(SAMPLE_ALERTS)
      .pipe(
        map((alert) => ({
          type: 'SYSTEM_ALERT',
          queue: 'SYSTEM_ALERT',
          topic: topicOf(alert),
          data: alert,
        })),
      )
      .subscribe(sink);
    const summary = await sink.done;
    console.log(`published ${summary.sent} alerts in ${summary.requests} /send request(s)\n`);

    const got = await printed;
    console.log(
      `\n${got.length} alerts of magnitude >= ${MIN_MAGNITUDE} in Europe and Asia-Pacific received live.`,
    );

    // 4. The same queue read back as a bounded window (like the Python client's recv_all).
    const all = await firstValueFrom(
      client.recvAll<SeismicAlert>({ queue: { SYSTEM_ALERT: { seq: 0 } } }).pipe(toArray()),
    );
    const strongest = all.reduce((a, b) =>
      (b.data?.magnitude ?? 0) > (a.data?.magnitude ?? 0) ? b : a,
    );
    console.log(
      `replayed ${all.length} stored alerts; strongest: ${strongest.data?.region} M${strongest.data?.magnitude}`,
    );
  } finally {
    await client.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
