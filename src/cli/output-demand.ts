import type { CliOutput } from './cli-context';

/**
 * Flow control for commands that print messages: when stdout's buffer is full (a slow pipe such as
 * `hmb replay … | slow-consumer`), the subscription waits for it to drain before reading more from
 * the bus, instead of holding the whole replay in memory.
 */
export function outputDemand(out: CliOutput): () => Promise<void> | undefined {
  return () => {
    if (out.writableNeedDrain !== true || out.once === undefined) return undefined;
    const once = out.once.bind(out);
    return new Promise<void>((resolve) => once('drain', () => resolve()));
  };
}
