import { HmbFilterError } from '../../errors/filter-error';
import type { FilterBudget } from './filter-budget';
import { goJson } from './go-json';
import { isDocument } from './is-document';

/**
 * A filter argument once validated: the few kinds of value the original server can compare.
 * Numbers are float64 whatever their source (JSON number, bigint, js-bson `Long`/`Int32`/`Double`,
 * or a `Date` as its epoch milliseconds).
 */
export type FilterValue =
  | { readonly kind: 'null' }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'list'; readonly items: readonly FilterValue[] };

const NULL_VALUE: FilterValue = { kind: 'null' };

/**
 * Validates a filter argument the way the original server's value reader does: scalars and lists
 * of them (lists may nest) are fine, a document anywhere is `unexpected value: <its JSON>`. That
 * is also why a field-level `$not` fails: its argument is a document. The check runs before the
 * operator is even looked at, so `{"$foo": {"a": 1}}` reports the value, not the operator.
 *
 * Beyond what JSON can carry, `bigint`, js-bson `Long`/`Int32`/`Double` and `Date` are read as
 * numbers (see {@link numericValue}); `undefined` inside a list reads as `null`, as in JSON.
 *
 * @param depth - the nesting level of `raw` in the filter, for the depth limit.
 * @throws HmbFilterError for a document or another unsupported object, or when a limit is passed.
 */
export function parseFilterValue(raw: unknown, depth: number, budget: FilterBudget): FilterValue {
  switch (typeof raw) {
    case 'string':
      return { kind: 'string', value: raw };
    case 'number':
      return { kind: 'number', value: raw };
    case 'boolean':
      return { kind: 'bool', value: raw };
    case 'bigint':
      return { kind: 'number', value: Number(raw) };
    case 'undefined':
      return NULL_VALUE;
    case 'object': {
      if (raw === null) return NULL_VALUE;
      if (Array.isArray(raw)) {
        budget.enter(depth);
        const items: FilterValue[] = [];
        // An index loop rather than for…of: holes in a sparse array read as undefined (null).
        for (let i = 0; i < raw.length; i++) {
          budget.value();
          items.push(parseFilterValue(raw[i], depth + 1, budget));
        }
        return { kind: 'list', items };
      }
      const number = isDocument(raw) ? Number.NaN : numericValue(raw);
      if (!Number.isNaN(number) || isDate(raw)) return { kind: 'number', value: number };
      break;
    }
    default:
      break;
  }
  throw new HmbFilterError(`unexpected value: ${goJson(raw, depth)}`);
}

/**
 * The number a non-primitive value in a message stands for, or NaN when it is not a number:
 * a `bigint` and js-bson's `Long`, `Int32` and `Double` give their value as a float64 (a `Long`
 * beyond 2^53 rounds exactly as the original server's `float64(int64)` does), and a `Date` gives
 * its time in epoch milliseconds. That last one is our choice: the original server cannot compare
 * BSON datetimes at all; reading them as epoch milliseconds lets `{"$gte": 1577836800000}` and
 * `{"$gte": new Date('2020-01-01')}` work. Documents never count as numbers, even one with a
 * `_bsontype` key.
 *
 * NaN compares false with everything, so callers can compare the result without checking it.
 */
export function numericValue(value: object | bigint): number {
  if (typeof value === 'bigint') return Number(value);
  if (isDocument(value)) return Number.NaN;
  if (isDate(value)) return value.getTime();
  const bsonType = (value as { _bsontype?: unknown })._bsontype;
  if (bsonType === 'Long' || bsonType === 'Int32' || bsonType === 'Double') {
    return Number((value as { valueOf(): unknown }).valueOf());
  }
  return Number.NaN;
}

function isDate(value: object): value is Date {
  // The tag test also recognises a Date from another realm (jest sandboxes, vm contexts).
  return value instanceof Date || Object.prototype.toString.call(value) === '[object Date]';
}
