import type { ServerResponse } from 'node:http';

/** Node adds `Connection: keep-alive`; Go does not. Removing the header keeps the connection open. */
function goHeaders(res: ServerResponse): void {
  if (!res.hasHeader('Connection')) res.removeHeader('Connection');
}

/**
 * A protocol error as the original sends it (Go's `http.Error`): `text/plain; charset=utf-8`,
 * `X-Content-Type-Options: nosniff`, the message and one newline.
 */
export function sendError(res: ServerResponse, status: number, message: string): void {
  const body = Buffer.from(`${message}\n`, 'utf8');
  goHeaders(res);
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
    'Content-Length': body.length,
  });
  res.end(body);
}

/** Go's `http.NotFound`. */
export function sendNotFound(res: ServerResponse): void {
  sendError(res, 404, '404 page not found');
}

/** An empty status answer (405, 204, and the 200 of a /recv ended by shutdown). */
export function sendEmpty(
  res: ServerResponse,
  status: number,
  headers: Record<string, string> = {},
): void {
  goHeaders(res);
  // Content-Length must be explicit: without it Node answers an empty end() with chunked encoding.
  res.writeHead(status, status === 204 ? headers : { ...headers, 'Content-Length': '0' });
  res.end();
}

/** A fixed-size answer (/features, /info, /status, /open) with `Content-Length`. */
export function sendBody(res: ServerResponse, contentType: string, body: Buffer | string): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  goHeaders(res);
  res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': bytes.length });
  res.end(bytes);
}

/** Go's `http.Redirect` with 301, as its ServeMux answers an unclean path. */
export function sendRedirect(res: ServerResponse, method: string, location: string): void {
  goHeaders(res);
  res.setHeader('Location', location);
  if (method === 'GET' || method === 'HEAD')
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
  const body =
    method === 'GET' ? `<a href="${escapeHtml(location)}">Moved Permanently</a>.\n\n` : '';
  res.writeHead(301, { 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Bytes per chunk of a chunked answer: Go's response writer cuts chunks every 2048 bytes. */
export const GO_CHUNK_BYTES = 2048;

/**
 * Writes part of a chunked body cut into 2048-byte chunks as Go's writer does, in one socket
 * write (corked). Returns false when the socket buffer is full (wait for `drain`).
 */
export function writeChunks(res: ServerResponse, body: Buffer): boolean {
  if (body.length <= GO_CHUNK_BYTES) return res.write(body);
  res.cork();
  let ok = true;
  for (let off = 0; off < body.length; off += GO_CHUNK_BYTES) {
    ok = res.write(body.subarray(off, off + GO_CHUNK_BYTES));
  }
  res.uncork();
  return ok;
}

/** Starts a chunked answer (/recv, /stream) once its first bytes are ready, never before. */
export function startChunked(res: ServerResponse, contentType: string): void {
  goHeaders(res);
  res.writeHead(200, { 'Content-Type': contentType });
}
