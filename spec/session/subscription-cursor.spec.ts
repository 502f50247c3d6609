import { HmbProtocolError } from '../../src/errors/protocol-error';
import { ANNOUNCEMENT_QUEUE, NEW_QUEUE_TYPE, type HmbMessage } from '../../src/protocol/message';
import type { HmbOpenAck } from '../../src/protocol/open-params';
import { SubscriptionCursor } from '../../src/session/subscription-cursor';

const ack = (seq: number): HmbOpenAck => ({
  sid: 'S',
  cid: 'c',
  queue: { Q: { seq, error: null } },
});
const msg = (seq: number): HmbMessage => ({ kind: 'message', type: 'T', queue: 'Q', seq });

describe('subscription cursor: healing skips', () => {
  it('cursor: a partly trimmed skip reports what is gone and moves back to what the server holds', () => {
    const cursor = new SubscriptionCursor({ queue: { Q: { seq: 0 } } }, { healGaps: true });
    cursor.applyAck(ack(0));
    expect(cursor.accept(msg(0)).deliver).toBe(true);
    expect(cursor.accept(msg(1)).deliver).toBe(true);
    const jump = cursor.accept(msg(10));
    expect(jump).toMatchObject({
      deliver: false,
      heal: true,
      gap: { expectedSeq: 2, nextSeq: 10 },
    });
    const settled = cursor.resolveSkip(jump.gap!, msg(10), 5, 3);
    expect(settled).toEqual({
      events: [{ kind: 'gap', queue: 'Q', expectedSeq: 2, nextSeq: 5, reason: 'trimmed' }],
      reopen: true,
      deliver: false,
    });
    expect(cursor.positions()).toEqual({ Q: 5 });
    cursor.applyAck(ack(5));
    for (const s of [5, 6, 7, 8]) expect(cursor.accept(msg(s))).toMatchObject({ deliver: true });
    expect(cursor.accept(msg(9))).toMatchObject({
      deliver: true,
      healed: { kind: 'healed', queue: 'Q', fromSeq: 5, toSeq: 9 },
    });
    expect(cursor.accept(msg(10))).toMatchObject({ deliver: true, gap: undefined });
  });

  it('cursor: a range the server keeps skipping is asked for maxAttempts times, then reported skipped', () => {
    const cursor = new SubscriptionCursor({ queue: { Q: { seq: 0 } } }, { healGaps: true });
    for (let attempt = 1; attempt <= 4; attempt++) {
      // The first session starts at 0; each reopen asks for (and is acknowledged at) seq 1.
      cursor.applyAck(ack(attempt === 1 ? 0 : 1));
      if (attempt === 1) cursor.accept(msg(0));
      const jump = cursor.accept(msg(3));
      const settled = cursor.resolveSkip(jump.gap!, msg(3), 0, 3);
      if (attempt <= 3) {
        expect(settled).toEqual({ events: [], reopen: true, deliver: false });
      } else {
        expect(settled).toEqual({
          events: [{ kind: 'gap', queue: 'Q', expectedSeq: 1, nextSeq: 3, reason: 'skipped' }],
          reopen: false,
          deliver: true,
        });
      }
    }
  });

  it('cursor: qlen, topics and healGaps:false never heal', () => {
    for (const cursor of [
      new SubscriptionCursor({ queue: { Q: { seq: 0, qlen: 3 } } }, { healGaps: true }),
      new SubscriptionCursor({ queue: { Q: { seq: 0 } } }, { healGaps: false }),
    ]) {
      cursor.applyAck(ack(0));
      expect(cursor.accept(msg(5))).toEqual({
        deliver: true,
        gap: { kind: 'gap', queue: 'Q', expectedSeq: 0, nextSeq: 5, reason: 'skipped' },
      });
    }
    const topics = new SubscriptionCursor(
      { queue: { Q: { seq: 0, topics: ['X'] } } },
      { healGaps: true },
    );
    topics.applyAck(ack(0));
    expect(topics.accept(msg(5))).toMatchObject({ deliver: true, gap: undefined });
  });
});

describe('subscription cursor: a server that goes backwards', () => {
  it('cursor: an ack below the position is a rewind from the ack, and later messages carry the epoch', () => {
    const cursor = new SubscriptionCursor({ queue: { Q: { seq: 0 } } });
    cursor.applyAck(ack(0));
    for (let s = 0; s < 10; s++) cursor.accept(msg(s));
    expect(cursor.applyAck(ack(6))).toEqual({
      gaps: [
        {
          kind: 'gap',
          queue: 'Q',
          expectedSeq: 10,
          nextSeq: 6,
          reason: 'rewind',
          lostFrom: 6,
          lostTo: 9,
          epoch: 1,
        },
      ],
      reopen: false,
    });
    const m = msg(6);
    expect(cursor.accept(m).deliver).toBe(true);
    expect(m.epoch).toBe(1);
    expect(cursor.positions()).toEqual({ Q: 7 });
  });

  it('cursor: a seq at or below the previous one of the same session is a protocol error', () => {
    const cursor = new SubscriptionCursor({ queue: { Q: { seq: 0 } } });
    cursor.applyAck(ack(0));
    cursor.accept(msg(0));
    cursor.accept(msg(1));
    expect(() => cursor.accept(msg(1))).toThrow(HmbProtocolError);
    // The order is judged per session: the next one starts afresh.
    cursor.applyAck(ack(2));
    expect(cursor.accept(msg(2)).deliver).toBe(true);
    expect(() => cursor.accept(msg(2))).toThrow(HmbProtocolError);
  });
});

describe('subscription cursor: the next step of a receive attempt', () => {
  const announce = (seq: number, name: string): HmbMessage => ({
    kind: 'message',
    type: NEW_QUEUE_TYPE,
    queue: ANNOUNCEMENT_QUEUE,
    seq,
    data: { name },
  });

  it('cursor step: read on after a batch, end at EOF', () => {
    const cursor = new SubscriptionCursor({ queue: { Q: { seq: 0, keep: false } } });
    cursor.applyAck(ack(0));
    cursor.accept(msg(0));
    expect(cursor.nextStep(false)).toBe('read');
    expect(cursor.nextStep(true)).toBe('eof');
  });

  it('cursor step: backlogThenLive opens with keep:false, goes live once at EOF, then follows with the user keep', () => {
    const cursor = new SubscriptionCursor(
      { queue: { Q: { seq: 0, keep: true } } },
      { backlogThenLive: true },
    );
    expect(cursor.openParams().queue?.['Q']).toEqual({ seq: 0, keep: false });
    cursor.applyAck(ack(0));
    cursor.accept(msg(0));
    expect(cursor.nextStep(false)).toBe('read');
    expect(cursor.nextStep(true)).toBe('live');
    expect(cursor.openParams().queue?.['Q']).toEqual({ seq: 1, keep: true });
    cursor.applyAck(ack(1));
    expect(cursor.nextStep(true)).toBe('eof');
  });

  it('cursor step: a NEW_QUEUE naming a waited-for queue asks for a reopen after the batch, until the next ack', () => {
    const cursor = new SubscriptionCursor(
      { queue: { Q: { seq: -1, keep: false } } },
      { waitForQueues: true },
    );
    cursor.applyAck({
      sid: 'S',
      cid: 'c',
      queue: { Q: { seq: null, error: 'queue not found' }, ANNOUNCEMENT: { seq: 4, error: null } },
    });
    expect(cursor.waitingQueues()).toEqual(['Q']);
    // A window that ends while a queue is awaited opens again rather than ending.
    expect(cursor.nextStep(true)).toBe('reopen');
    expect(cursor.accept(announce(4, 'OTHER')).deliver).toBe(false);
    expect(cursor.nextStep(false)).toBe('read');
    expect(cursor.accept(announce(5, 'Q')).deliver).toBe(false);
    expect(cursor.nextStep(false)).toBe('reopen');
    expect(cursor.openParams().queue?.['Q']).toEqual({ seq: -1, keep: false });
    cursor.applyAck({
      sid: 'S2',
      cid: 'c',
      queue: { Q: { seq: 0, error: null }, ANNOUNCEMENT: { seq: 6, error: null } },
    });
    expect(cursor.waitingQueues()).toEqual([]);
    expect(cursor.nextStep(false)).toBe('read');
    expect(cursor.nextStep(true)).toBe('eof');
  });
});
