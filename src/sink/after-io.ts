/**
 * Resolves after the event loop's next I/O phase: in Node after `setImmediate`, so that a request
 * started just before is written to its socket first; in browsers, where `fetch` hands the request
 * to the network thread at once, after a `MessageChannel` message (a macrotask with no 4 ms clamp,
 * which `setTimeout(0)` has once nested).
 */
export function afterIo(): Promise<void> {
  return new Promise((resolve) => {
    const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown })
      .setImmediate;
    if (immediate !== undefined) {
      immediate(resolve);
      return;
    }
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}
