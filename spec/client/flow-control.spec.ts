import type { Subscription } from 'rxjs';
import { HmbClient } from '../../src/node';
import type { HmbConnectionState } from '../../src/session/connection-state';
import { collect, sleep } from '../helpers/collect';
import { numbered, publish } from '../helpers/publish';
import { startTestBus, type TestBus } from '../helpers/test-bus';

let bus: TestBus;
let client: HmbClient;
let sub: Subscription | undefined;

afterEach(async () => {
  // A failed expectation must not leave a subscription running into the next suite.
  sub?.unsubscribe();
  sub = undefined;
  await client?.close();
  await bus?.close();
});

describe.each(['poll', 'stream'] as const)('client flow control (%s)', (transport) => {
  it('demand: a consumer that is not ready stops the reading, without the watchdog taking it for a dead link', async () => {
    bus = await startTestBus();
    await publish(bus.url, numbered('Q', 2000, 0, { data: { pad: 'x'.repeat(500) } }));
    client = new HmbClient(bus.url);
    let release!: () => void;
    let gate: Promise<void> | undefined = new Promise<void>((r) => (release = r));
    const states: HmbConnectionState['type'][] = [];
    const collector = collect(
      client.subscribe(
        { queue: { Q: { seq: 0 } }, heartbeat: 1, recv_limit: 4 },
        { transport, demand: () => gate, onState: (s) => states.push(s.type) },
      ),
    );
    sub = collector.subscription;
    const received = collector.messages;
    // The first answer arrives, then the gate holds the reading; how long the first answer takes
    // depends on the machine's load, so wait for it rather than for a fixed time.
    await collector.until(1, 10_000);
    await sleep(300);
    const whilePaused = received.length;
    expect(whilePaused).toBeGreaterThan(0);
    expect(whilePaused).toBeLessThan(2000);
    // Longer than the watchdog's 3.5 s: still no reconnect, and nothing more read.
    await sleep(4500);
    expect(received.length).toBe(whilePaused);
    expect(states).toEqual(['opening', 'open']);
    gate = undefined;
    release();
    await collector.until(2000, 10_000);
    expect(collector.error()).toBeUndefined();
    expect(received.map((m) => m.seq)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  }, 30_000);
});
