import type { GoJsonNode } from './go-json-parse';
import { goJsonKind } from './go-json-parse';

/**
 * Go's `json.UnmarshalTypeError` text. `structName`/`field` give the context Go adds for a struct
 * field (`Go struct field OpenParamQueue.queue.keep`); without them it is a `Go value`.
 */
export function goTypeError(
  value: string,
  goType: string,
  structName?: string,
  field?: string,
): string {
  if (structName === undefined || field === undefined) {
    return `json: cannot unmarshal ${value} into Go value of type ${goType}`;
  }
  return `json: cannot unmarshal ${value} into Go struct field ${structName}.${field} of type ${goType}`;
}

/**
 * Collects the first type error of a decode, as Go's decoder does: it keeps going after a type
 * error and reports the earliest one, unless a custom decoder aborts first.
 */
export class GoTypeErrors {
  first: string | undefined;

  save(text: string): void {
    this.first ??= text;
  }

  /** Saves a kind mismatch for `node` (`string`, `number`, `object`, …). */
  kind(node: GoJsonNode, goType: string, structName?: string, field?: string): void {
    this.save(goTypeError(goJsonKind(node), goType, structName, field));
  }
}

/**
 * Folds a JSON key for Go's case-insensitive field matching (ASCII letters, plus the Kelvin sign
 * and long s that Go folds to `k` and `s`).
 */
export function foldKey(key: string): string {
  let out = key;
  if (/[A-Z]/.test(out)) out = out.replace(/[A-Z]/g, (c) => c.toLowerCase());
  if (/[\u212a\u017f]/.test(out)) out = out.replace(/\u212a/g, 'k').replace(/\u017f/g, 's');
  return out;
}

/** A decode that either gives a value or the original's error text. */
export type Decoded<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** A failed {@link Decoded} with the original's text. */
export function decodeFailure<T>(error: string): Decoded<T> {
  return { ok: false, error };
}
