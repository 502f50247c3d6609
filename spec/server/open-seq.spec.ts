import { msgs, sleep, type TestBus, useTestBuses } from '../helpers/raw-http';

/** The seqs of the delivered messages, and whether EOF came (one /recv). */
async function delivered(bus: TestBus, sid: string): Promise<Array<number | 'EOF'>> {
  const frames = await bus.recvJson(sid);
  return frames.map((f) => (f['type'] === 'EOF' ? 'EOF' : (f['seq'] as number)));
}

describe('server /open seq, endseq, qlen, oowait', () => {
  const start = useTestBuses();
  const range = (a: number, b: number): number[] =>
    Array.from({ length: b - a + 1 }, (_, i) => a + i);

  it.each([
    [0, 0, range(0, 9)],
    [5, 5, range(5, 9)],
    [9, 9, [9]],
    [10, 10, []],
    [11, 10, []],
    [1000, 10, []],
    [-1, 10, []],
    [null, 10, []],
    [undefined, 10, []],
    [-2, 9, [9]],
    [-5, 6, range(6, 9)],
    [-11, 0, range(0, 9)],
    [-12, 0, range(0, 9)],
    [-1000, 0, range(0, 9)],
  ])(
    'server /open seq: requested %p is acked %p and delivers the right messages (queue 0..9, keep:false)',
    async (seq, ack, seqs) => {
      const bus = await start();
      await bus.seed(msgs('Q', 10));
      const opened = await bus.open({
        queue: { Q: seq === undefined ? { keep: false } : { seq, keep: false } },
      });
      expect(opened.queue['Q']).toEqual({ seq: ack, error: null });
      expect(await delivered(bus, opened.sid)).toEqual([...seqs, 'EOF']);
    },
  );

  it('server /open seq: a seq older than the ring is acked as asked and delivery starts at the oldest held', async () => {
    const bus = await start({ queueLimit: 100 });
    await bus.seed(msgs('Q', 150));
    const opened = await bus.open({ queue: { Q: { seq: 0, keep: false } } });
    expect(opened.queue['Q']!.seq).toBe(0);
    const got = await bus.recvAll(opened.sid);
    expect(got.map((f) => f['seq'])).toEqual(range(50, 149));
  });

  it.each([
    [{ seq: 2, endseq: 4, keep: true }, [2, 3, 4, 'EOF']],
    [{ seq: 2, endseq: 4, keep: false }, [2, 3, 4, 'EOF']],
    [{ seq: 2, endseq: 2 }, [2, 'EOF']],
    [{ seq: 5, endseq: 2 }, ['EOF']],
    [{ seq: 2, endseq: 20, keep: false }, [...range(2, 9), 'EOF']],
    [{ seq: 7, endseq: -1, keep: false }, [7, 8, 9, 'EOF']],
  ])('server /open endseq: %j delivers %j', async (params, expected) => {
    const bus = await start();
    await bus.seed(msgs('Q', 10));
    const opened = await bus.open({ queue: { Q: params } });
    expect(await delivered(bus, opened.sid)).toEqual(expected);
  });

  it('server /open endseq: with keep:true EOF only comes once a message past endseq exists', async () => {
    const bus = await start();
    const sender = await bus.seed(msgs('Q', 10));
    const opened = await bus.open({ queue: { Q: { seq: 2, endseq: 11 } } });
    expect(await delivered(bus, opened.sid)).toEqual(range(2, 9));
    const pending = bus.recv(opened.sid, '/Q/9');
    await sleep(100);
    await bus.send(sender, msgs('Q', 3));
    const frames = (await pending).text;
    // 12 is seen past endseq 11: EOF comes in the same answer, 12 is not delivered.
    expect(JSON.parse(frames)).toMatchObject({
      0: { seq: 10 },
      1: { seq: 11 },
      2: { type: 'EOF' },
    });
    expect(await delivered(bus, opened.sid).catch(() => 'mismatch')).toBe('mismatch');
    expect(await bus.recvJson(opened.sid, '/Q/11')).toEqual([{ type: 'EOF' }]);
  });

  it('server /open endseq: with the default seq it blocks until the next message, then EOF without delivering it', async () => {
    const bus = await start();
    const sender = await bus.seed(msgs('Q', 10));
    const opened = await bus.open({ queue: { Q: { endseq: 3 } } });
    const t0 = Date.now();
    const pending = bus.recv(opened.sid);
    await sleep(300);
    await bus.send(sender, msgs('Q', 1));
    const res = await pending;
    expect(res.text).toBe('{"0":{"type":"EOF"}}');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it.each([
    [3, [8, 9, 10, 11]],
    [0, [11]],
    [-1, range(0, 11)],
  ])(
    'server /open qlen %p: a subscriber too far behind skips ahead (ack still says 0)',
    async (qlen, seqs) => {
      const bus = await start();
      await bus.seed(msgs('Q', 12));
      const opened = await bus.open({ queue: { Q: { seq: 0, qlen, keep: false } } });
      expect(opened.queue['Q']!.seq).toBe(0);
      expect(await delivered(bus, opened.sid)).toEqual([...seqs, 'EOF']);
    },
  );

  it('server /open oowait: a gap is waited for up to oowait seconds by the clock, then skipped', async () => {
    const bus = await start();
    const sender = await bus.seed(msgs('Q', 3));
    await bus.send(sender, [{ type: 'T', queue: 'Q', seq: 5 }]);
    const opened = await bus.open({ queue: { Q: { seq: 0, oowait: 1 } } });
    expect(await delivered(bus, opened.sid)).toEqual([0, 1, 2]);
    const t0 = Date.now();
    const frames = await bus.recvJson(opened.sid, '/Q/2');
    const elapsed = Date.now() - t0;
    expect(frames.map((f) => f['seq'])).toEqual([5]);
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(2500);
  });

  it('server /open oowait: a gap filled in time is delivered in order', async () => {
    const bus = await start();
    const sender = await bus.seed(msgs('Q', 3));
    await bus.send(sender, [{ type: 'T', queue: 'Q', seq: 4 }]);
    const opened = await bus.open({ queue: { Q: { seq: 3, oowait: 5 } } });
    const pending = bus.recvJson(opened.sid);
    await sleep(200);
    await bus.send(sender, [{ type: 'T', queue: 'Q', seq: 3 }]);
    expect((await pending).map((f) => f['seq'])).toEqual([3, 4]);
  });

  it('server /open: a sparse queue (every 3rd of 60,000 seqs, then a long jump) is caught up with exactly the held seqs, in order', async () => {
    const bus = await start();
    const held = [...Array.from({ length: 20_000 }, (_, i) => i * 3), 90_000];
    await bus.seed(held.map((seq) => ({ type: 'T', queue: 'Q', seq })));
    const opened = await bus.open({ queue: { Q: { seq: 0, keep: false } } });
    const got = await bus.recvAll(opened.sid);
    expect(got.map((f) => f['seq'])).toEqual(held);
  });

  it('server /open oowait: 0 or absent does not wait', async () => {
    const bus = await start();
    const sender = await bus.seed(msgs('Q', 3));
    await bus.send(sender, [{ type: 'T', queue: 'Q', seq: 6 }]);
    for (const q of [
      { seq: 0, oowait: 0, keep: false },
      { seq: 0, keep: false },
    ]) {
      const opened = await bus.open({ queue: { Q: q } });
      expect(await delivered(bus, opened.sid)).toEqual([0, 1, 2, 6, 'EOF']);
    }
  });

  it('server /open seedlink: the seq is read as 24 bits and reported in /status', async () => {
    const bus = await start();
    await bus.seed(msgs('Q', 10));
    const opened = await bus.open({
      queue: { Q: { seq: 2 ** 24 + 7, seedlink: true, keep: false } },
    });
    expect(opened.queue['Q']!.seq).toBe(7);
    const status = await bus.getJson<{
      session: Record<string, { queue: Record<string, { seedlink: boolean }> }>;
    }>('status');
    expect(status.session[opened.sid]!.queue['Q']!.seedlink).toBe(true);
  });
});
