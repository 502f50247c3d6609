// The built-in transports, for specs that must hold for each of them.
import { FetchTransport } from '../../src/transport/fetch-transport';
import type { HmbTransport } from '../../src/transport/transport';
import { UndiciTransport } from '../../src/transport/undici-transport';

/** Each built-in transport as its name and a factory of fresh instances, for `describe.each`. */
export const TRANSPORTS: [string, () => HmbTransport][] = [
  ['undici', () => new UndiciTransport()],
  ['fetch', () => new FetchTransport()],
];
