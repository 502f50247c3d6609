import { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { HmbConnectionState } from '../../src/session/connection-state';
import {
  CONNECTION_TRANSITIONS,
  ConnectionStateMachine,
  PROGRESS,
  type HmbConnectionInput,
} from '../../src/session/connection-state-machine';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** The states a machine tells while it is fed the inputs, as a stream (one machine per subscription). */
function statesOf(inputs: Observable<HmbConnectionInput>): Observable<HmbConnectionState> {
  return new Observable<HmbConnectionState>((subscriber) => {
    const machine = new ConnectionStateMachine((state) => subscriber.next(state));
    return inputs.subscribe({
      next: (input) => machine.report(input),
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    });
  });
}

const lostError = new Error('connection reset');
const fatalError = new Error('queue not found');

const inputs: Record<string, HmbConnectionInput> = {
  o: { kind: 'opening' },
  a: { kind: 'opened', sid: 'S1', cid: 'C' },
  b: { kind: 'opened', sid: 'S2', cid: 'C' },
  p: PROGRESS,
  r: { kind: 'retrying', error: lostError, attempt: 1, delayMs: 500 },
  s: { kind: 'retrying', error: lostError, attempt: 2, delayMs: 1000 },
  e: { kind: 'ended' },
  f: { kind: 'ended', error: fatalError },
  u: { kind: 'unsubscribed' },
};

describe('connection state machine', () => {
  it('state machine: a first open, a loss, a resume and an end, in the order the UI sees them', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('o-a-p-r---o-a-p-e|', inputs);
      expectObservable(statesOf(source)).toBe('o-a---(lm)x-b---c|', {
        o: { type: 'opening', attempt: 0 },
        a: { type: 'open', sid: 'S1', cid: 'C', attempt: 0 },
        l: { type: 'lost', error: lostError, attempt: 1 },
        m: { type: 'resuming', error: lostError, attempt: 1, delayMs: 500 },
        // The resumed session's states still count the failure: nothing has arrived since.
        x: { type: 'opening', attempt: 1 },
        b: { type: 'open', sid: 'S1', cid: 'C', attempt: 1 },
        c: { type: 'closed' },
      });
    });
  });

  it('state machine: failures in a row count up in `attempt` until something arrives', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('o-r----o-s----o-b-p-o|', inputs);
      expectObservable(statesOf(source)).toBe('o-(lm)-x-(nq)-w-y---z|', {
        o: { type: 'opening', attempt: 0 },
        l: { type: 'lost', error: lostError, attempt: 1 },
        m: { type: 'resuming', error: lostError, attempt: 1, delayMs: 500 },
        x: { type: 'opening', attempt: 1 },
        n: { type: 'lost', error: lostError, attempt: 2 },
        q: { type: 'resuming', error: lostError, attempt: 2, delayMs: 1000 },
        w: { type: 'opening', attempt: 2 },
        y: { type: 'open', sid: 'S2', cid: 'C', attempt: 2 },
        z: { type: 'opening', attempt: 0 },
      });
    });
  });

  it('state machine: closed is final, with the error of a fatal end, and nothing is told after it', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('o-f-u-o-a-r|', inputs);
      expectObservable(statesOf(source)).toBe('o-c--------|', {
        o: { type: 'opening', attempt: 0 },
        c: { type: 'closed', error: fatalError },
      });
    });
  });

  it('state machine: unsubscribing from any running phase tells closed once', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(statesOf(cold('u-u|', inputs))).toBe('c--|', { c: { type: 'closed' } });
      expectObservable(statesOf(cold('o-a-u-e|', inputs))).toBe('o-a-c--|', {
        o: { type: 'opening', attempt: 0 },
        a: { type: 'open', sid: 'S1', cid: 'C', attempt: 0 },
        c: { type: 'closed' },
      });
    });
  });

  it('state machine: an acknowledgement is taken only while opening, and progress tells nothing', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('a-p-o-a-b-p|', inputs);
      expectObservable(statesOf(source)).toBe('----o-a----|', {
        o: { type: 'opening', attempt: 0 },
        a: { type: 'open', sid: 'S1', cid: 'C', attempt: 0 },
      });
    });
  });

  it('state machine: the table lists every input, and every state but closed can be left', () => {
    expect(Object.keys(CONNECTION_TRANSITIONS).sort()).toEqual(
      ['ended', 'opened', 'opening', 'progress', 'retrying', 'unsubscribed'].sort(),
    );
    for (const phase of ['idle', 'opening', 'open', 'lost', 'resuming'] as const) {
      expect(CONNECTION_TRANSITIONS.ended.from).toContain(phase);
      expect(CONNECTION_TRANSITIONS.unsubscribed.from).toContain(phase);
    }
    for (const row of Object.values(CONNECTION_TRANSITIONS))
      expect(row.from).not.toContain('closed');
    const machine = new ConnectionStateMachine(() => undefined);
    machine.report(inputs['o']!);
    machine.report(inputs['r']!);
    expect(machine.phase).toBe('resuming');
  });
});
