import { BSON } from 'bson';
import type { HmbFormat } from '../../src/protocol/hmb-format';
import type { HmbOutgoing } from '../../src/protocol/outgoing';
import { bsonRefusal, checkedToJson, checkOutgoing } from '../../src/protocol/outgoing-wire';

/**
 * One message checked and encoded on its own: the JSON text or BSON document the sink puts in a
 * /send body for it. The library encodes whole batches in one pass (protocol/send-batch.ts); specs
 * use this as the per-message oracle those bodies are compared with.
 *
 * @throws HmbInvalidMessageError as the sink would refuse the message.
 */
export function encodeOne(message: HmbOutgoing, format: HmbFormat): string | Uint8Array {
  const checked = checkOutgoing(message, format);
  if (format === 'json') return checkedToJson(message, checked);
  try {
    return BSON.serialize(checked.wire);
  } catch (cause) {
    throw bsonRefusal(message, cause);
  }
}
