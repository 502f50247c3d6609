import type { IncomingHttpHeaders } from 'node:http';

/** A response header by name, as `HmbTransportResponse.header` gives it: repeated ones joined. */
export function headerOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}
