import { lastValueFrom, toArray } from 'rxjs';
import { HmbClient } from '../../src/node';
import { startTestBus, type TestBus } from '../helpers/test-bus';

// send() of one body skips the sink (issue 18), but must publish on the session its options name,
// as a sink does: the client's shared one, or one of its own for `ownSession` or a `cid`, whose
// subscribers then do not see the message.

let bus: TestBus;
let client: HmbClient;
afterEach(async () => {
  await client?.close();
  await bus?.close();
});

describe.each(['json', 'bson'] as const)('send(): the session its options name (%s)', (format) => {
  it('send: a cid or ownSession sends on a session of its own; subscribers with that cid skip it', async () => {
    bus = await startTestBus();
    client = new HmbClient(bus.url, { format });
    const shared = await client.send({ type: 'T', queue: 'C', data: { i: 0 } });
    const mine = await client.send({ type: 'T', queue: 'C', data: { i: 1 } }, { cid: 'mine' });
    const own = await client.send({ type: 'T', queue: 'C', data: { i: 2 } }, { ownSession: true });
    const again = await client.send({ type: 'T', queue: 'C', data: { i: 3 } });
    expect(again.sid).toBe(shared.sid);
    expect(new Set([shared.sid, mine.sid, own.sid]).size).toBe(3);
    // The same for a list that needs several bodies (the sink's path).
    const many = Array.from({ length: 3 }, (_, k) => ({
      type: 'T',
      queue: 'C',
      data: { i: 4 + k },
    }));
    const split = await client.send(many, { cid: 'mine', maxBatchMessages: 2 });
    expect(split).toMatchObject({ sent: 3, batches: 2 });
    expect(split.sid).not.toBe(shared.sid);
    const read = async (cid?: string): Promise<number[]> => {
      const messages = await lastValueFrom(
        client
          .recvAll<{ i: number }>({
            queue: { C: { seq: 0 } },
            ...(cid === undefined ? {} : { cid }),
          })
          .pipe(toArray()),
      );
      return messages.map((m) => m.data!.i);
    };
    expect(await read()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(await read('mine')).toEqual([0, 2, 3]);
  });
});
