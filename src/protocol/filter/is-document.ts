/**
 * Tells whether a value is a document (a plain object): what JSON.parse and js-bson produce for
 * an object. Arrays, `Date`, js-bson classes (`Long`, `ObjectId`, `Binary`, …) and other class
 * instances are values, not documents.
 *
 * The prototype test accepts `Object.prototype` from any realm (jest sandboxes, `vm`, iframes) and
 * `Object.create(null)`, which `instanceof` or a comparison with this realm's `Object.prototype`
 * would not.
 */
export function isDocument(value: unknown): value is Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * The keys of a filter document that carry a value, in document order. Keys whose value is
 * `undefined` are skipped, as `JSON.stringify` and js-bson (`ignoreUndefined`) would drop them: a
 * filter built in JavaScript then means the same thing as the one sent over the wire.
 */
export function definedKeys(document: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(document).filter((key) => document[key] !== undefined);
}
