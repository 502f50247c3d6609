import { rawRequest } from '../helpers/raw-http';
import { startServerChild, type ServerChild } from '../helpers/server-child';

const MIB = 1024 * 1024;
const QUEUES = 5_000;

/** One JSON /send body: message i creates queue `bomb<i>` at seq 65,536 + i. */
function seqBombBody(): string {
  const parts: string[] = [];
  for (let i = 0; i < QUEUES; i++)
    parts.push(`"${i}":{"type":"T","queue":"bomb${i}","seq":${65_536 + i}}`);
  return `{${parts.join(',')}}`;
}

describe('server: explicit seqs do not size memory (issue 14.1)', () => {
  let child: ServerChild | undefined;
  afterEach(async () => {
    await child?.stop();
    child = undefined;
  });

  it('server seq bomb: 5,000 new queues at seq ≥ 65,536 in one 247 KiB /send cost memory by what is stored, not by the seqs', async () => {
    // A heap bound far below the ~5 GiB that slots sized by seq would need: before the fix the
    // process ran out of heap and died here.
    child = await startServerChild({}, ['--max-old-space-size=256']);
    const open = await rawRequest(`${child.url}/b/open`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"cid":"bomber"}',
    });
    const sid = (JSON.parse(open.text) as { sid: string }).sid;
    const before = await child.memory();
    const body = seqBombBody();
    expect(body.length).toBeGreaterThan(240 * 1024);
    const sent = await rawRequest(`${child.url}/b/send/${sid}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(sent.status).toBe(204);
    const after = await child.memory();
    const grownHeapMiB = (after.heapUsed - before.heapUsed) / MIB;
    const grownRssMiB = (after.rss - before.rss) / MIB;
    process.stdout.write(
      `seq bomb: body ${(body.length / 1024).toFixed(0)} KiB; heap ${(before.heapUsed / MIB).toFixed(1)} → ${(after.heapUsed / MIB).toFixed(1)} MiB (+${grownHeapMiB.toFixed(1)}), RSS ${(before.rss / MIB).toFixed(1)} → ${(after.rss / MIB).toFixed(1)} MiB (+${grownRssMiB.toFixed(1)})\n`,
    );
    // 5,000 queues with one message each, plus 5,000 NEW_QUEUE announcements.
    expect(grownHeapMiB).toBeLessThan(48);
    const info = JSON.parse((await rawRequest(`${child.url}/b/info`)).text) as {
      queue: Record<string, { startseq: number; endseq: number }>;
    };
    expect(Object.keys(info.queue)).toHaveLength(QUEUES + 1);
    expect(info.queue['bomb4999']).toMatchObject({ startseq: 70_535, endseq: 70_536 });
    expect(info.queue['ANNOUNCEMENT']).toMatchObject({ startseq: 0, endseq: QUEUES });
  });
});
