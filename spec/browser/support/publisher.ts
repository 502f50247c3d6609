/** A message as the browser suite publishes it. */
export interface PublishedMessage {
  readonly type: string;
  readonly queue: string;
  readonly data: unknown;
}

/** Publishes through one HMB session, reopened when the bus no longer knows it. */
export interface Publisher {
  send(messages: readonly PublishedMessage[]): Promise<void>;
}

/**
 * A publisher speaking plain HTTP (not the library under test): one /open, then a /send per
 * call. One session for the whole suite, because the bus caps sessions per client address and
 * the browser under test connects from the same address; after a bus restart the old session is
 * gone (`400 invalid session`) and the next send opens a new one.
 */
export function openPublisher(busUrl: string): Publisher {
  let sid: string | undefined;
  const open = async (): Promise<string> => {
    const res = await fetch(`${busUrl}/open`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    if (res.status !== 200) throw new Error(`open: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { sid: string }).sid;
  };
  return {
    async send(messages) {
      const body = `{${messages.map((m, i) => `"${i}":${JSON.stringify(m)}`).join(',')}}`;
      for (let attempt = 0; ; attempt++) {
        sid ??= await open();
        const res = await fetch(`${busUrl}/send/${sid}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        if (res.status === 204) return;
        const text = await res.text();
        sid = undefined;
        if (res.status !== 400 || attempt > 0) throw new Error(`send: ${res.status} ${text}`);
      }
    },
  };
}
