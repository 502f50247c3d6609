import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleFeatures } from './handlers/features';
import { handleInfo } from './handlers/info';
import { handleOpen } from './handlers/open';
import { handleRecv } from './handlers/recv';
import { handleSend } from './handlers/send';
import { handleStatus } from './handlers/status';
import { handleStream } from './handlers/stream';
import { cleanPath, escapePath, unescapePath } from './http/clean-path';
import { sendEmpty, sendError, sendNotFound, sendRedirect } from './http/respond';
import type { HmbServerCore } from './hmb-server-core';
import { RequestContext } from './request-context';

interface Route {
  readonly method: 'GET' | 'POST';
  /** Allowed numbers of path arguments after the method name. */
  readonly args: readonly number[];
  readonly handle: (ctx: RequestContext) => void | Promise<void>;
}

const ROUTES: ReadonlyMap<string, Route> = new Map<string, Route>([
  ['features', { method: 'GET', args: [0], handle: handleFeatures }],
  ['info', { method: 'GET', args: [0], handle: handleInfo }],
  ['status', { method: 'GET', args: [0], handle: handleStatus }],
  ['open', { method: 'POST', args: [0], handle: handleOpen }],
  ['send', { method: 'POST', args: [1], handle: handleSend }],
  ['recv', { method: 'GET', args: [1, 3], handle: handleRecv }],
  ['stream', { method: 'GET', args: [1, 3], handle: handleStream }],
]);

/** The answer when a request names one bus more than `maxBuses`. */
export const TOO_MANY_BUSES = 'maximum number of buses exceeded';

function normaliseIp(ip: string): string {
  return ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
}

function clientAddress(core: HmbServerCore, req: IncomingMessage): { ip: string; address: string } {
  const socket = req.socket;
  let ip = normaliseIp(socket.remoteAddress ?? '');
  if (core.options.trustForwardedFor) {
    const header = req.headers['x-forwarded-for'];
    const first = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim();
    if (first !== undefined && first !== '') ip = normaliseIp(first);
  }
  const host = ip.includes(':') ? `[${ip}]` : ip;
  return { ip, address: `${host}:${socket.remotePort ?? 0}` };
}

function applyCors(core: HmbServerCore, req: IncomingMessage, res: ServerResponse): boolean {
  const origin = core.options.corsOrigin;
  if (origin === undefined) return false;
  res.setHeader('Access-Control-Allow-Origin', origin);
  if (origin !== '*') res.setHeader('Vary', 'Origin');
  if (req.method !== 'OPTIONS') return false;
  sendEmpty(res, 204, {
    'Access-Control-Allow-Methods': 'GET, POST',
    'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? 'Content-Type',
    'Access-Control-Max-Age': '600',
  });
  return true;
}

/**
 * Routes one request as the original does (docs/protocol.md §1): Go's ServeMux redirect for unclean
 * paths, `404 page not found` for unknown methods and wrong argument counts, an empty 405 for the
 * wrong HTTP method, buses created on first mention.
 */
export function route(core: HmbServerCore, req: IncomingMessage, res: ServerResponse): void {
  if (applyCors(core, req, res)) return;
  const method = req.method ?? '';
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const path = unescapePath(rawPath);
  if (path === undefined) {
    res.setHeader('Connection', 'close');
    sendError(res, 400, '400 Bad Request');
    return;
  }
  const clean = cleanPath(path);
  if (clean !== path) {
    sendRedirect(res, method, escapePath(clean) + (q < 0 ? '' : url.slice(q)));
    return;
  }
  const parts = path.slice(1).split('/');
  const busName = parts[0]!;
  const name = parts[1];
  if (name === undefined || busName === '') return sendNotFound(res);
  const routeFor = ROUTES.get(name);
  const args = parts.slice(2);
  const routed =
    routeFor !== undefined &&
    routeFor.args.includes(args.length) &&
    !args.includes('') &&
    name !== '';
  const bus = core.bus(busName);
  if (!routed) return sendNotFound(res);
  if (method !== routeFor.method) return sendEmpty(res, 405);
  const { ip, address } = clientAddress(core, req);
  if (bus === undefined) {
    sendError(res, 503, TOO_MANY_BUSES);
    core.options.logger({
      type: 'request-error',
      method,
      path: url,
      status: 503,
      message: TOO_MANY_BUSES,
      address,
    });
    return;
  }
  if (core.closing) res.setHeader('Connection', 'close');
  const ctx = new RequestContext(core, req, res, bus, args, ip, address);
  let outcome: void | Promise<void>;
  // Counted while the handler runs, so the bus is not freed under a request in progress.
  bus.requestStarted();
  try {
    outcome = routeFor.handle(ctx);
  } catch (err) {
    bus.requestEnded();
    return internalError(core, res, err);
  }
  if (outcome instanceof Promise) {
    outcome
      .catch((err: unknown) => internalError(core, res, err))
      .finally(() => bus.requestEnded());
  } else {
    bus.requestEnded();
  }
}

function internalError(core: HmbServerCore, res: ServerResponse, err: unknown): void {
  core.options.logger({
    type: 'internal-error',
    message: err instanceof Error ? err.message : String(err),
    cause: err,
  });
  if (!res.headersSent) {
    res.setHeader('Connection', 'close');
    sendError(res, 500, 'internal server error');
  } else {
    res.destroy();
  }
}
