import { HmbFilterError } from '../../errors/filter-error';

/**
 * The deepest nesting a filter may have, counting every document and every list (the top-level
 * filter document is level 1), and the most segments a `data.` path may have. The server compiles
 * filters sent by untrusted clients: a bound turns an absurd filter into an error instead of a
 * stack overflow, and it keeps every recursion in the evaluator shallow.
 */
export const MAX_FILTER_DEPTH = 100;

/**
 * The most clauses a filter may have: every field condition, every operator and every
 * `$and`/`$or`/`$nor`/`$not` counts one. Each clause costs time on every message the server
 * handles for the session, so this bounds the per-message work.
 */
export const MAX_FILTER_CLAUSES = 10_000;

/**
 * The most field tests a filter may have: each operator on a field (and each implicit `$eq`)
 * counts one, a `$regex` {@link REGEX_TEST_COST}. Every field test walks the values at its field
 * on every message, so their number multiplies the work per message; a filter over the bound is
 * refused (`filter too costly: more than 1000 field tests`).
 */
export const MAX_FILTER_TESTS = 1_000;

/** What one `$regex` test counts against {@link MAX_FILTER_TESTS}: it scans whole strings. */
export const REGEX_TEST_COST = 10;

/**
 * The most list elements a filter may hold in total (e.g. in `$in` lists). `$in` and `$nin` look
 * values up in a hash set, so long lists are cheap to evaluate; this only bounds compile time and
 * memory.
 */
export const MAX_FILTER_VALUES = 100_000;

/**
 * Counts what compiling one filter has used, and throws an {@link HmbFilterError} as soon as a
 * limit is passed. One budget per {@link compileFilter} call.
 */
export class FilterBudget {
  private clauses = 0;
  private tests = 0;
  private values = 0;

  /** Checks that a document or list at `depth` (1 = the filter itself) is allowed. */
  enter(depth: number): void {
    if (depth > MAX_FILTER_DEPTH) throw tooDeep();
  }

  /** Counts one clause. */
  clause(): void {
    if (++this.clauses > MAX_FILTER_CLAUSES) {
      throw new HmbFilterError(`filter too large: more than ${MAX_FILTER_CLAUSES} clauses`);
    }
  }

  /** Counts a field test of this cost (1, or {@link REGEX_TEST_COST} for a `$regex`). */
  test(cost = 1): void {
    this.tests += cost;
    if (this.tests > MAX_FILTER_TESTS) {
      throw new HmbFilterError(`filter too costly: more than ${MAX_FILTER_TESTS} field tests`);
    }
  }

  /** Counts one list element. */
  value(): void {
    if (++this.values > MAX_FILTER_VALUES) {
      throw new HmbFilterError(`filter too large: more than ${MAX_FILTER_VALUES} values`);
    }
  }
}

/** The error for a filter (or a field path) nested deeper than {@link MAX_FILTER_DEPTH}. */
export function tooDeep(): HmbFilterError {
  return new HmbFilterError(`filter too deeply nested: more than ${MAX_FILTER_DEPTH} levels`);
}
