import type { HmbFilterPredicate } from './filter-target';

/** A predicate that holds for no message. */
export const NEVER: HmbFilterPredicate = () => false;
/** A predicate that holds for every message. */
export const ALWAYS: HmbFilterPredicate = () => true;

// The combinators special-case zero, one and two parts: most filters have one or two clauses, and
// a direct call is cheaper than a loop over an array on every message.

/** Holds when every part holds; with no parts, always (`$and: []` matches everything). */
export function allOf(parts: readonly HmbFilterPredicate[]): HmbFilterPredicate {
  const [a, b] = parts;
  if (a === undefined) return ALWAYS;
  if (b === undefined) return a;
  if (parts.length === 2) return (message) => a(message) && b(message);
  return (message) => {
    for (const part of parts) if (!part(message)) return false;
    return true;
  };
}

/** Holds when some part holds; with no parts, never (`$or: []` matches nothing). */
export function anyOf(parts: readonly HmbFilterPredicate[]): HmbFilterPredicate {
  const [a, b] = parts;
  if (a === undefined) return NEVER;
  if (b === undefined) return a;
  if (parts.length === 2) return (message) => a(message) || b(message);
  return (message) => {
    for (const part of parts) if (part(message)) return true;
    return false;
  };
}

/** Holds when no part holds; with no parts, always (`$nor: []` matches everything). */
export function noneOf(parts: readonly HmbFilterPredicate[]): HmbFilterPredicate {
  return not(anyOf(parts));
}

/** Holds when `part` does not. */
export function not(part: HmbFilterPredicate): HmbFilterPredicate {
  if (part === NEVER) return ALWAYS;
  if (part === ALWAYS) return NEVER;
  return (message) => !part(message);
}
