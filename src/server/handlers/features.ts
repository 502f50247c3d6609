import { sendBody } from '../http/respond';
import type { RequestContext } from '../request-context';

/** What /features names as the software. */
export const HMB_RX_SOFTWARE = 'hmb-rx embedded bus 0.1 (httpmsgbus v0.16 compatible)';
const CAPABILITIES = ['JSON', 'BSON', 'INFO', 'STREAM', 'WINDOW', 'FILTER', 'OOD'] as const;
const CAPABILITIES_REGEX = [
  'JSON',
  'BSON',
  'INFO',
  'STREAM',
  'WINDOW',
  'FILTER',
  'REGEX',
  'OOD',
] as const;

/**
 * GET /{bus}/features (docs/protocol.md §3): the original's capabilities, plus REGEX when enabled.
 */
export function handleFeatures(ctx: RequestContext): void {
  const capabilities = ctx.core.options.regex ? CAPABILITIES_REGEX : CAPABILITIES;
  sendBody(
    ctx.res,
    'application/json',
    JSON.stringify({ capabilities, functions: [], software: HMB_RX_SOFTWARE }),
  );
}
