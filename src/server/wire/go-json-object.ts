import { goJsonNumber, goJsonString } from './go-json-writer';

/** A scalar or list the fixed-shape answers (/info, /status, /open) hold. */
export type JsonScalar = string | number | boolean | null | readonly string[];

/** One scalar as Go's encoder writes it. */
export function goJsonScalar(value: JsonScalar): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return goJsonString(value);
  if (typeof value === 'number') return goJsonNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return `[${value.map(goJsonString).join(',')}]`;
}

/**
 * An object with its fields in the given order, values already encoded: how Go writes a struct
 * (field order) or a map (our order standing in for Go's random one).
 */
export function goJsonObject(fields: Iterable<readonly [string, string]>): string {
  let out = '{';
  let first = true;
  for (const [key, value] of fields) {
    if (!first) out += ',';
    first = false;
    out += `${goJsonString(key)}:${value}`;
  }
  return `${out}}`;
}

/** A struct of scalars, fields in the order given. */
export function goJsonRecord(record: Readonly<Record<string, JsonScalar>>): string {
  return goJsonObject(Object.entries(record).map(([k, v]) => [k, goJsonScalar(v)] as const));
}
