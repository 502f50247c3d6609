import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startScriptedServer, type ScriptedServer } from './scripted-server';

/** A message held by a {@link RingSkippingBus}: its seq is its index in the queue. */
export interface HeldMessage {
  readonly seq: number;
  readonly data: unknown;
  /** A seq that was never stored (sends with explicit seqs leave such holes): never delivered. */
  readonly hole?: true;
}

/** Options of {@link startRingSkippingBus}. */
export interface RingSkippingBusOptions {
  /** Messages a live subscriber may fall behind before it is moved ahead (the original's `-b`). */
  readonly ring: number;
  /** Messages per answer while a session reads history from the "database" (the original: ~64). */
  readonly historyBurst?: number;
}

/** A JSON-only HMB bus that behaves like the original with `-b ring` and a file database. */
export interface RingSkippingBus {
  readonly url: string;
  readonly server: ScriptedServer;
  /** Appends messages to a queue at once (a publisher's burst), waking every waiting session. */
  append(queue: string, data: readonly unknown[]): void;
  /** Leaves `count` seqs empty (a hole the database never held), then appends `data`. */
  appendAfterHole(queue: string, count: number, data: readonly unknown[]): void;
  /** Forgets the newest `count` messages of a queue and every session: a restart that lost its tail. */
  loseTail(queue: string, count: number): void;
  /** Every message a queue holds. */
  held(queue: string): readonly HeldMessage[];
  /** How many times a live session was moved ahead past messages the database still holds. */
  readonly skips: number;
  close(): Promise<void>;
}

interface SessionQueue {
  next: number;
  /** Reading history from the database (behind the ring), in bursts. */
  fromDb: boolean;
}

interface Session {
  readonly queues: Map<string, SessionQueue>;
  readonly heartbeatMs: number;
}

/**
 * Starts a deliberately simple bus for the client's healing and rewind tests, modelled on notes
 * §13 and §17.2: messages are all kept (a database), a live subscriber that falls more than `ring`
 * messages behind is moved ahead (`skips` counts it), and a session opened behind the ring reads
 * history in bursts of `historyBurst` until it is back within the ring. The embedded bus keeps no
 * database below its ring, so it cannot show a skip that can be healed.
 */
export async function startRingSkippingBus(
  options: RingSkippingBusOptions,
): Promise<RingSkippingBus> {
  const ring = options.ring;
  const burst = options.historyBurst ?? 64;
  const queues = new Map<string, HeldMessage[]>();
  const sessions = new Map<string, Session>();
  const wake = new EventEmitter();
  wake.setMaxListeners(0);
  let skips = 0;
  let sidCounter = 0;

  const queueOf = (name: string): HeldMessage[] => {
    let q = queues.get(name);
    if (q === undefined) queues.set(name, (q = []));
    return q;
  };

  /** The documents a session gets now (possibly none). */
  const pull = (session: Session): unknown[] => {
    const docs: unknown[] = [];
    for (const [name, sq] of session.queues) {
      const q = queueOf(name);
      let take = Math.max(0, q.length - sq.next);
      if (sq.fromDb) {
        take = Math.min(take, burst);
      } else if (q.length - sq.next > ring) {
        // A live subscriber a ring behind: moved ahead without a word, as the original does.
        sq.next = q.length - ring;
        take = ring;
        skips++;
      }
      for (let k = 0; k < take; k++) {
        const m = q[sq.next + k]!;
        if (m.hole !== true) docs.push({ type: 'T', queue: name, seq: m.seq, data: m.data });
      }
      sq.next += take;
      if (sq.fromDb && q.length - sq.next <= ring) sq.fromDb = false;
    }
    return docs;
  };

  /** Resolves when a message arrives or after `ms`; false on timeout. */
  const waitForData = (ms: number, res: ServerResponse): Promise<boolean> =>
    new Promise((resolve) => {
      const done = (got: boolean): void => {
        clearTimeout(timer);
        wake.off('data', onData);
        res.off('close', onClose);
        resolve(got);
      };
      const onData = (): void => done(true);
      const onClose = (): void => done(false);
      const timer = setTimeout(() => done(false), ms);
      wake.on('data', onData);
      res.on('close', onClose);
    });

  const sessionOf = (req: IncomingMessage, res: ServerResponse): Session | undefined => {
    const sid = (req.url ?? '').split('/')[3] ?? '';
    const session = sessions.get(sid);
    if (session === undefined) res.writeHead(400).end('invalid session\n');
    return session;
  };

  const server = await startScriptedServer({
    features: (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          software: 'ring-skipping-bus',
          functions: [],
          capabilities: ['STREAM', 'INFO'],
        }),
      );
    },
    info: (_req, res) => {
      const queue: Record<string, unknown> = {};
      for (const [name, q] of queues) {
        queue[name] = {
          startseq: q.length === 0 ? null : 0,
          endseq: q.length === 0 ? null : q.length - 1,
          starttime: null,
          endtime: null,
          topic: null,
        };
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ queue }));
    },
    open: (_req, res, body) => {
      const params = JSON.parse(body.toString()) as {
        heartbeat?: number;
        queue?: Record<string, { seq?: number }>;
      };
      const sid = `S${String(++sidCounter).padStart(15, '0')}`;
      const session: Session = {
        queues: new Map(),
        heartbeatMs: (params.heartbeat ?? 1) * 1000,
      };
      const ack: Record<string, { seq: number; error: null }> = {};
      for (const [name, p] of Object.entries(params.queue ?? {})) {
        const length = queueOf(name).length;
        const asked = p.seq ?? -1;
        const next = asked < 0 ? Math.max(0, length + asked + 1) : Math.min(asked, length);
        session.queues.set(name, { next, fromDb: length - next > ring });
        ack[name] = { seq: next, error: null };
      }
      sessions.set(sid, session);
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ sid, cid: 'c', queue: ack }));
    },
    recv: async (req, res) => {
      const session = sessionOf(req, res);
      if (session === undefined) return;
      let docs = pull(session);
      if (docs.length === 0 && (await waitForData(session.heartbeatMs, res))) {
        // A restart (loseTail) forgets the session while it waits.
        if (!sessions.has((req.url ?? '').split('/')[3] ?? '')) {
          res.writeHead(400).end('invalid session\n');
          return;
        }
        docs = pull(session);
      }
      if (res.destroyed) return;
      if (docs.length === 0) docs = [{ type: 'HEARTBEAT' }];
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(`{${docs.map((d, i) => `"${i}":${JSON.stringify(d)}`).join(',')}}`);
    },
    stream: async (req, res) => {
      const session = sessionOf(req, res);
      if (session === undefined) return;
      res.writeHead(200, { 'content-type': 'application/json' });
      let key = 0;
      while (!res.destroyed && sessions.get((req.url ?? '').split('/')[3] ?? '') === session) {
        let docs = pull(session);
        if (docs.length === 0 && !(await waitForData(session.heartbeatMs, res))) {
          docs = [{ type: 'HEARTBEAT' }];
        }
        if (res.destroyed) return;
        const text = docs.map((d) => `"${key++}":${JSON.stringify(d)}`).join(',');
        if (text !== '') res.write(`${key === docs.length ? '{' : ','}${text}`);
      }
      // The session was forgotten (a restart): the stream ends without EOF.
      res.end();
    },
  });

  return {
    url: `${server.url}/bus`,
    server,
    append: (queue, data) => {
      const q = queueOf(queue);
      for (const d of data) q.push({ seq: q.length, data: d });
      wake.emit('data');
    },
    appendAfterHole: (queue, count, data) => {
      const q = queueOf(queue);
      for (let k = 0; k < count; k++) q.push({ seq: q.length, data: null, hole: true });
      for (const d of data) q.push({ seq: q.length, data: d });
      wake.emit('data');
    },
    loseTail: (queue, count) => {
      const q = queueOf(queue);
      q.length = Math.max(0, q.length - count);
      sessions.clear();
      wake.emit('data');
    },
    held: (queue) => queueOf(queue),
    get skips() {
      return skips;
    },
    close: () => server.close(),
  };
}
