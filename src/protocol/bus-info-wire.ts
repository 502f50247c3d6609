import { HmbProtocolError } from '../errors/protocol-error';
import type { HmbFeatures, HmbInfo, HmbStatus } from './bus-info';

/**
 * Checks the shape of a /info answer.
 *
 * @throws HmbProtocolError when `queue` is not an object.
 */
export function infoFromWire(doc: Record<string, unknown>): HmbInfo {
  if (!isObject(doc['queue'])) throw new HmbProtocolError('the /info answer has no queue object');
  return doc as unknown as HmbInfo;
}

/**
 * Checks the shape of a /features answer.
 *
 * @throws HmbProtocolError when `capabilities` is not a list.
 */
export function featuresFromWire(doc: Record<string, unknown>): HmbFeatures {
  if (!Array.isArray(doc['capabilities']))
    throw new HmbProtocolError('the /features answer has no capabilities list');
  return {
    software: typeof doc['software'] === 'string' ? doc['software'] : '',
    functions: Array.isArray(doc['functions']) ? (doc['functions'] as string[]) : [],
    capabilities: doc['capabilities'] as string[],
  };
}

/**
 * Checks the shape of a /status answer.
 *
 * @throws HmbProtocolError when `session` is not an object.
 */
export function statusFromWire(doc: Record<string, unknown>): HmbStatus {
  if (!isObject(doc['session']))
    throw new HmbProtocolError('the /status answer has no session object');
  return doc as unknown as HmbStatus;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
