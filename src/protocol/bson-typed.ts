import { HmbInvalidMessageError } from '../errors/invalid-message-error';
import { bsonPayload, PayloadRefusal } from './payload-encoding';

/**
 * A value with every number whose BSON type was recorded when it was decoded (an int64 that came
 * as a number, an integral double; see {@link bsonNumberType}) replaced by js-bson's `Long` or
 * `Double`: what the BSON sink writes. Give it to another serializer that should keep the wire
 * types, such as canonical Extended JSON (`EJSON.stringify(bsonTyped(m.data), { relaxed: false })`,
 * which `hmb tail --ejson` prints). The value itself is not changed; containers without a record
 * are returned as they are.
 *
 * @throws HmbInvalidMessageError for a value BSON cannot carry (docs/data-types.md), with its path.
 */
export function bsonTyped(value: unknown): unknown {
  try {
    return bsonPayload(value);
  } catch (refusal) {
    if (!(refusal instanceof PayloadRefusal)) throw refusal;
    const path = refusal.path('value');
    throw new HmbInvalidMessageError(`${path}: ${refusal.reason}`, value, { path });
  }
}
