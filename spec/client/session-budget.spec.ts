import { firstValueFrom, lastValueFrom, take, toArray, type Subscription } from 'rxjs';
import { HmbClient } from '../../src/node';
import { isHmbError } from '../../src/errors/hmb-error';
import type { HmbSessionLimitError } from '../../src/errors/session-limit-error';
import { shareSubscription } from '../../src/client/share-subscription';
import type { HmbConnectionState } from '../../src/session/connection-state';
import { startTestBus, type TestBus } from '../helpers/test-bus';
import { until } from '../helpers/virtual-clock';

let bus: TestBus;
let client: HmbClient;
const subscriptions: Subscription[] = [];

afterEach(async () => {
  for (const s of subscriptions.splice(0)) s.unsubscribe();
  await client?.close();
  await bus?.close();
});

const sessionsOnBus = async (): Promise<number> =>
  Object.keys((await firstValueFrom(client.status())).session).length;

describe('client: the session budget is visible', () => {
  beforeEach(async () => {
    bus = await startTestBus({ maxSessionsPerIp: 2 });
  });

  it('client: a subscription beyond the per-address cap is told at once, on the state stream, with a typed error that says where the budget went; it keeps retrying and gets in when a slot frees', async () => {
    // A short session-cap pause, so the retry that gets in is seen within the test.
    client = new HmbClient(bus.url, { heartbeat: 5, retry: { sessionLimitDelayMs: 300 } });
    const states: HmbConnectionState[][] = [[], [], []];
    const subscribeNumber = (i: number): Subscription =>
      client
        .events({ queue: { ANNOUNCEMENT: {} } })
        .subscribe((e) => e.kind === 'state' && states[i]!.push(e.state));
    subscriptions.push(subscribeNumber(0), subscribeNumber(1));
    await until(() => states.slice(0, 2).every((s) => s.some((x) => x.type === 'open')));
    const started = Date.now();
    subscriptions.push(subscribeNumber(2));

    // Whichever one is refused (the third, or a sibling its /open evicted), it is told at once.
    const isLimit = (s: HmbConnectionState): boolean =>
      s.type === 'lost' && isHmbError(s.error, 'HMB_ERR_SESSION_LIMIT');
    const refused = (): number => states.findIndex((list) => list.some(isLimit));
    await until(() => refused() >= 0, 2000);
    expect(Date.now() - started).toBeLessThan(2000);
    const r = refused();
    const error = (states[r]!.find(isLimit) as { error: HmbSessionLimitError }).error;
    expect(error.clientSessions).toBe(2);
    expect(error.message).toContain('maximum number of sessions per IP exceeded');
    expect(error.message).toContain('this client already holds 2 session(s) on this bus');
    expect(error.message).toContain('shareSubscription');
    expect(error.status).toBe(503);

    // It keeps retrying: freeing a slot (another subscription ends) lets it in.
    const other = [0, 1, 2].find((i) => i !== r)!;
    subscriptions[other]!.unsubscribe();
    const refusedAt = states[r]!.findIndex(isLimit);
    await until(() => states[r]!.slice(refusedAt).some((s) => s.type === 'open'), 5000);
    expect(await sessionsOnBus()).toBe(2);
  });

  it('client: many queues in one subscription and shareSubscription put a process on one session', async () => {
    client = new HmbClient(bus.url, { heartbeat: 5 });
    await client.send([
      { type: 'T', queue: 'A', data: 1 },
      { type: 'T', queue: 'B', data: 2 },
      { type: 'T', queue: 'C', data: 3 },
    ]);
    const errors: unknown[] = [];
    // Three queues, one subscription: one session.
    const all = client
      .subscribe(
        { queue: { A: { seq: 0 }, B: { seq: 0 }, C: { seq: 0 } } },
        {
          onState: (s) => s.type === 'lost' && errors.push(s.error),
        },
      )
      .pipe(shareSubscription);
    // Five components subscribe to the shared stream: still one session.
    const seen = await Promise.all(
      Array.from({ length: 5 }, () => lastValueFrom(all.pipe(take(3), toArray()))),
    );
    for (const got of seen) expect(got.map((m) => m.queue).sort()).toEqual(['A', 'B', 'C']);
    subscriptions.push(all.subscribe());
    // The cap is 2: the shared subscription and the publishing session fit, with no refusal.
    expect(await sessionsOnBus()).toBe(2);
    expect(errors).toEqual([]);
  });
});
