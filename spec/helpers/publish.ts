import { BSON, Long } from 'bson';
import { lastValueFrom, toArray } from 'rxjs';
import { request } from 'undici';
import { HmbClient } from '../../src/node';

/** A message as the tests publish it (plain fields, JSON-safe unless sent as BSON). */
export interface TestMessage {
  type: string;
  queue: string;
  topic?: string;
  seq?: number;
  starttime?: string;
  endtime?: string;
  data?: unknown;
}

/**
 * Publishes messages with plain HTTP (not through the library under test): /open a session with
 * no queues, then one /send. Returns the session's cid.
 */
export async function publish(
  busUrl: string,
  messages: readonly TestMessage[],
  options: { format?: 'json' | 'bson'; cid?: string } = {},
): Promise<string> {
  const format = options.format ?? 'json';
  const openBody = options.cid === undefined ? {} : { cid: options.cid };
  const open = await request(`${busUrl}/open`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(openBody),
  });
  if (open.statusCode !== 200)
    throw new Error(`open failed: ${open.statusCode} ${await open.body.text()}`);
  const { sid, cid } = (await open.body.json()) as { sid: string; cid: string };
  for (let i = 0; i < messages.length; i += 1000) {
    const batch = messages.slice(i, i + 1000);
    const body =
      format === 'json'
        ? `{${batch.map((m, k) => `"${k}":${JSON.stringify(m)}`).join(',')}}`
        : Buffer.concat(
            batch.map((m) =>
              BSON.serialize(m.seq === undefined ? m : { ...m, seq: Long.fromNumber(m.seq) }),
            ),
          );
    const sent = await request(`${busUrl}/send/${sid}`, {
      method: 'POST',
      headers: { 'content-type': format === 'json' ? 'application/json' : 'application/bson' },
      body,
    });
    const text = await sent.body.text();
    if (sent.statusCode !== 204) throw new Error(`send failed: ${sent.statusCode} ${text}`);
  }
  return cid;
}

/** `count` messages `{type:'T', queue, data:{i}}` with i from `from`. */
export function numbered(
  queue: string,
  count: number,
  from = 0,
  extra: Partial<TestMessage> = {},
): TestMessage[] {
  return Array.from({ length: count }, (_, k) => ({
    type: 'T',
    queue,
    data: { i: from + k },
    ...extra,
  }));
}

/**
 * Reads `queue` from seq 0 to its end through a client of its own in `format`, and returns each
 * message's `data.i`: what a publishing test finds stored on the bus.
 */
export async function readBack(
  busUrl: string,
  queue: string,
  format: 'json' | 'bson' = 'json',
): Promise<number[]> {
  const reader = new HmbClient(busUrl, { format });
  try {
    const got = await lastValueFrom(
      reader.recvAll<{ i: number }>({ queue: { [queue]: { seq: 0 } } }).pipe(toArray()),
    );
    return got.map((m) => m.data!.i);
  } finally {
    await reader.close();
  }
}
