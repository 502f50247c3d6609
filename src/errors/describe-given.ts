/** How many characters of a given value an error message quotes at most. */
const MAX_GIVEN_CHARS = 80;

/**
 * Shows a value the user gave, for an error message that says what was wrong with it. Strings are
 * quoted, so that `"0"` (a string) and `0` (a number) read differently; objects and arrays are
 * shown as JSON, cut short; functions, symbols and bigints by their kind.
 *
 * @example
 * ```ts
 * describeGiven('0'); // '"0"'
 * describeGiven(0); // '0'
 * describeGiven(undefined); // 'undefined'
 * ```
 */
export function describeGiven(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return cut(JSON.stringify(value));
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    default:
      break;
  }
  if (value === null) return 'null';
  if (value instanceof Date) return `Date(${value.toString()})`;
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return cut(json);
  } catch {
    // A cycle or a bigint inside: fall through to the kind.
  }
  return Array.isArray(value) ? 'an array' : 'an object';
}

function cut(text: string): string {
  return text.length > MAX_GIVEN_CHARS ? `${text.slice(0, MAX_GIVEN_CHARS)}…` : text;
}
