import { compareCodePoints } from './compare-code-points';
import type { ValueTest } from './field-accessor';
import { numericValue, type FilterValue } from './filter-value';

/** The comparison operators that order values. */
export type OrderOperator = '$gt' | '$gte' | '$lt' | '$lte';

const NEVER: ValueTest = () => false;

/**
 * The number a message value stands for when it is not a plain number (a bigint, a js-bson
 * number, a Date), or NaN. Split out so that plain numbers never pay for the call.
 */
function otherNumber(value: unknown): number {
  return (typeof value === 'object' && value !== null) || typeof value === 'bigint'
    ? numericValue(value)
    : Number.NaN;
}

/**
 * Tests a message value for equality with a filter argument, as the original server does: a
 * string equals the same string, a boolean the same boolean, a number the same float64 (so `3`
 * equals `3.0`, and a number never equals a string), `null` equals `null` (and `undefined`, which
 * is how a JavaScript array hole or undefined element would be encoded). A list argument equals
 * nothing: there is no array equality.
 */
export function equalsTest(argument: FilterValue): ValueTest {
  switch (argument.kind) {
    case 'string': {
      const s = argument.value;
      return (value) => value === s;
    }
    case 'number': {
      const n = argument.value;
      if (Number.isNaN(n)) return NEVER;
      return (value) => (typeof value === 'number' ? value === n : otherNumber(value) === n);
    }
    case 'bool': {
      const b = argument.value;
      return (value) => value === b;
    }
    case 'null':
      return (value) => value === null || value === undefined;
    case 'list':
      return NEVER;
  }
}

/**
 * Tests a message value for membership in a list, with the equality of {@link equalsTest}.
 * Strings and numbers are looked up in hash sets, so a long `$in` list costs no more per message
 * than a short one. NaN never joins the number set: NaN equals nothing, as in Go.
 */
export function membershipTest(items: readonly FilterValue[]): ValueTest {
  const strings = new Set<string>();
  const numbers = new Set<number>();
  let withTrue = false;
  let withFalse = false;
  let withNull = false;
  for (const item of items) {
    switch (item.kind) {
      case 'string':
        strings.add(item.value);
        break;
      case 'number':
        if (!Number.isNaN(item.value)) numbers.add(item.value);
        break;
      case 'bool':
        if (item.value) withTrue = true;
        else withFalse = true;
        break;
      case 'null':
        withNull = true;
        break;
      case 'list':
        break; // a list equals nothing
    }
  }
  if (items.length === 0) return NEVER;
  return (value) => {
    switch (typeof value) {
      case 'string':
        return strings.has(value);
      case 'number':
        return numbers.has(value);
      case 'boolean':
        return value ? withTrue : withFalse;
      case 'undefined':
        return withNull;
      case 'object':
        return value === null ? withNull : numbers.has(numericValue(value));
      case 'bigint':
        return numbers.has(Number(value));
      default:
        return false;
    }
  };
}

/**
 * Tests a message value against an ordering operator. A number argument only orders numbers (as
 * float64), a string argument only strings (in code point order, see {@link compareCodePoints});
 * everything else fails, so `{"$gt": "3"}` never matches the number 3.
 */
export function orderTest(operator: OrderOperator, argument: number | string): ValueTest {
  if (typeof argument === 'string') {
    const s = argument;
    switch (operator) {
      case '$gt':
        return (value) => typeof value === 'string' && compareCodePoints(value, s) > 0;
      case '$gte':
        return (value) => typeof value === 'string' && compareCodePoints(value, s) >= 0;
      case '$lt':
        return (value) => typeof value === 'string' && compareCodePoints(value, s) < 0;
      case '$lte':
        return (value) => typeof value === 'string' && compareCodePoints(value, s) <= 0;
    }
  }
  const n = argument;
  // Written out per operator (rather than one closure calling a comparator) because these run
  // for every message of every session; NaN on either side makes each comparison false.
  switch (operator) {
    case '$gt':
      return (value) => (typeof value === 'number' ? value : otherNumber(value)) > n;
    case '$gte':
      return (value) => (typeof value === 'number' ? value : otherNumber(value)) >= n;
    case '$lt':
      return (value) => (typeof value === 'number' ? value : otherNumber(value)) < n;
    case '$lte':
      return (value) => (typeof value === 'number' ? value : otherNumber(value)) <= n;
  }
}
