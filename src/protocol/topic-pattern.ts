import { HmbBadParamError } from '../errors/bad-param-error';

/** What a topic may hold: word characters only (the server refuses anything else on /send). */
export const TOPIC_PATTERN = /^\w*$/;

/** What a topic pattern may hold: word characters, `?`, `*`, and an optional leading `!`. */
const TOPIC_PATTERN_SYNTAX = /^!?[\w?*]*$/;

/** A compiled set of topic patterns: tells whether a message's topic passes. */
export type HmbTopicMatcher = (topic: string | undefined) => boolean;

/**
 * Tells whether one topic pattern is valid (`[A-Za-z0-9_?*]` with an optional leading `!`).
 */
export function isValidTopicPattern(pattern: string): boolean {
  return TOPIC_PATTERN_SYNTAX.test(pattern);
}

/**
 * Compiles topic patterns into a matcher with the semantics of the HMB `topics` parameter:
 * `?` is one character, `*` any run, both anchored and case-sensitive; a leading `!` negates.
 * A topic passes if it matches any positive pattern (or there are none) and no negative one.
 * A message without a topic has topic `""`.
 *
 * Each pattern is matched against the whole topic on its own. The original server joins several
 * patterns into one regular expression anchored only at its two ends, so `["T1","T2"]` also lets
 * `T10` through; that is a bug (see docs/server-differences.md) and both our server and our
 * client-side operators use this matcher instead.
 *
 * @example
 * ```ts
 * const pass = compileTopicPatterns(['T*', '!T1']);
 * pass('T0'); // true
 * pass('T1'); // false
 * ```
 * @throws HmbBadParamError when a pattern holds other characters.
 */
export function compileTopicPatterns(
  patterns: readonly string[] | null | undefined,
): HmbTopicMatcher {
  if (patterns === null || patterns === undefined || patterns.length === 0) return () => true;
  const positive: string[] = [];
  const negative: string[] = [];
  for (const pattern of patterns) {
    if (typeof pattern !== 'string' || !isValidTopicPattern(pattern)) {
      throw new HmbBadParamError(`topic contains invalid characters: ${JSON.stringify(pattern)}`);
    }
    if (pattern.startsWith('!')) negative.push(pattern.slice(1));
    else positive.push(pattern);
  }
  return (topic) => {
    const t = topic ?? '';
    if (positive.length > 0 && !positive.some((p) => globMatch(p, t))) return false;
    return !negative.some((p) => globMatch(p, t));
  };
}

/**
 * Matches a glob (`?` one character, `*` any run) against the whole of `text`. Iterative with one
 * remembered star, so the cost is at most O(pattern × text) whatever the pattern: a client cannot
 * make the server backtrack exponentially with `*a*a*a*…`.
 */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    const c = pattern.charCodeAt(p);
    if (p < pattern.length && (c === 63 /* ? */ || c === text.charCodeAt(t))) {
      p++;
      t++;
    } else if (p < pattern.length && c === 42 /* * */) {
      starP = p++;
      starT = t;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === 42) p++;
  return p === pattern.length;
}
