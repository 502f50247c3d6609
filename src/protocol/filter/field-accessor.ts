import { spendSteps } from './evaluation-steps';
import { MAX_FILTER_DEPTH, tooDeep } from './filter-budget';
import type { HmbFilterPredicate, HmbFilterTarget } from './filter-target';
import { isDocument } from './is-document';

/** A test on one value found at a field. */
export type ValueTest = (value: unknown) => boolean;

/**
 * How a compiled filter reads one field of a message. Built once per field name at compile time,
 * so that evaluating does no string splitting.
 */
export interface FieldAccessor {
  /**
   * A predicate that holds when some value at the field passes `test`. A field holding an array
   * offers each element instead (one level only: elements that are arrays are offered as arrays,
   * which no test accepts). A missing field offers nothing.
   */
  some(test: ValueTest): HmbFilterPredicate;
  /** A predicate that holds when the field is present (with any value, even `null` or `[]`). */
  exists(): HmbFilterPredicate;
}

const NEVER: HmbFilterPredicate = () => false;
const ALWAYS: HmbFilterPredicate = () => true;

/**
 * Reads `type`, `sender` and `data.<path>` like the original server does; every other name
 * (`queue`, `topic`, `seq`, `data` on its own, `$where`, `type.x`, …) is a field that is never
 * present, so it matches nothing, yet `$ne`, `$nin` and `$exists: false` on it match everything.
 *
 * `type` and `sender` are always present: the original stores them as Go strings, so a message
 * without a sender has the sender `""` and `{"sender": {"$exists": false}}` matches nothing.
 *
 * A `data.` path is split at every dot (so a key that contains a dot cannot be reached). Each
 * segment must find its key as an own property of a document (never `constructor` or
 * `__proto__` from a prototype); a property holding `undefined` counts as missing, as it would
 * after JSON or BSON encoding. An array met before the last segment is entered element by element
 * and the path goes on in each element that is a document, so `data.items.name` matches if any
 * item's name matches. A number segment is a key like any other, never an array index, so
 * `data.arr.0` never reaches into an array.
 *
 * @throws HmbFilterError when a path has more than {@link MAX_FILTER_DEPTH} segments.
 */
export function compileFieldAccessor(field: string): FieldAccessor {
  if (field === 'type') return stringField((message) => message.type);
  if (field === 'sender') return stringField((message) => message.sender);
  if (!field.startsWith('data.')) return { some: () => NEVER, exists: () => NEVER };

  const path = field.slice('data.'.length).split('.');
  // Evaluation recurses once per array met along the path; the bound keeps that shallow.
  if (path.length > MAX_FILTER_DEPTH) throw tooDeep();
  if (path.length === 1) {
    const key = path[0]!;
    return {
      some: (test) => (message) => offer(ownValue(message.data, key), test),
      exists: () => (message) => ownValue(message.data, key) !== undefined,
    };
  }
  return {
    some: (test) => (message) => someAt(message.data, path, 0, test),
    exists: () => (message) => existsAt(message.data, path, 0),
  };
}

function stringField(read: (message: HmbFilterTarget) => unknown): FieldAccessor {
  return {
    some: (test) => (message) => {
      const value = read(message);
      return test(typeof value === 'string' ? value : '');
    },
    exists: () => ALWAYS,
  };
}

/** The value of `key` if `node` is a document that has it as an own, defined property. */
function ownValue(node: unknown, key: string): unknown {
  if (typeof node !== 'object' || node === null) return undefined;
  const value = (node as Record<string, unknown>)[key];
  // The ownership and document checks run only for defined values, so a missing key costs one
  // property read. They keep out inherited names and the innards of arrays (`length`, `0`),
  // Dates and js-bson values (`Long.low`).
  if (value === undefined || !Object.hasOwn(node, key) || !isDocument(node)) return undefined;
  return value;
}

/** Offers a final value to `test`: each element of an array, or the value itself. */
function offer(value: unknown, test: ValueTest): boolean {
  if (value === undefined) return false;
  if (!Array.isArray(value)) return test(value);
  // Every element is a step of the evaluation's budget (evaluation-steps.ts).
  spendSteps(value.length);
  for (let i = 0; i < value.length; i++) if (test(value[i])) return true;
  return false;
}

function someAt(node: unknown, path: readonly string[], from: number, test: ValueTest): boolean {
  const last = path.length - 1;
  let current = node;
  for (let i = from; i < last; i++) {
    const value = ownValue(current, path[i]!);
    if (value === undefined) return false;
    if (Array.isArray(value)) {
      spendSteps(value.length);
      for (let j = 0; j < value.length; j++) if (someAt(value[j], path, i + 1, test)) return true;
      return false;
    }
    current = value;
  }
  return offer(ownValue(current, path[last]!), test);
}

function existsAt(node: unknown, path: readonly string[], from: number): boolean {
  const last = path.length - 1;
  let current = node;
  for (let i = from; i < last; i++) {
    const value = ownValue(current, path[i]!);
    if (value === undefined) return false;
    if (Array.isArray(value)) {
      spendSteps(value.length);
      for (let j = 0; j < value.length; j++) if (existsAt(value[j], path, i + 1)) return true;
      return false;
    }
    current = value;
  }
  return ownValue(current, path[last]!) !== undefined;
}
