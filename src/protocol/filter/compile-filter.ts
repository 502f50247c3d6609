import { HmbFilterError } from '../../errors/filter-error';
import {
  compileFieldExpression,
  INVALID_FILTER_EXPRESSION,
  type FilterCompileContext,
} from './field-expression';
import { resetSteps, STEPS_EXCEEDED } from './evaluation-steps';
import { FilterBudget } from './filter-budget';
import type { HmbFilterPredicate } from './filter-target';
import { goJson } from './go-json';
import { definedKeys, isDocument } from './is-document';
import { allOf, anyOf, noneOf, not } from './logical-predicates';

/** Options of {@link compileFilter}. */
export interface HmbCompileFilterOptions {
  /**
   * Allow `$regex` (with `$options`): the server's REGEX capability. Default false, as on the
   * original server, where `$regex` is `unknown operator: $regex`.
   */
  readonly regex?: boolean;
}

/**
 * Compiles an HMB filter (the MongoDB-style `filter` of /open) into a predicate on messages.
 * Compile once, then call the predicate for every message: all parsing and validation happens
 * here, and the predicate is a tree of closures that only reads the message.
 *
 * It behaves like the original server's filter (docs/server-differences.md lists where it does
 * not): only `type`, `sender` and `data.<path>` can match; `$eq $ne $gt $gte $lt $lte $in $nin
 * $exists` on fields, `$and $or $nor $not` on expressions; several fields, or several operators on
 * one field, are ANDed. Every error is an {@link HmbFilterError} whose message is the original
 * server's text for it (e.g. `$in expects list argument`), so the embedded server can put
 * `err.message` in its /open reply unchanged.
 *
 * The filter may come from an untrusted client: nesting, clause count, field tests, list sizes and
 * regular expressions are bounded (100 levels of nesting, 10,000 clauses, 1,000 field tests with a
 * `$regex` counting 10, 100,000 listed values), so compiling never overflows the stack, and one
 * evaluation takes at most 4,000,000 steps: a message that would take more (a huge array walked by
 * many clauses) does not pass.
 *
 * @example
 * ```ts
 * import { compileFilter } from 'hmb-rx';
 * const isBigQuake = compileFilter({ type: 'ORIGIN', 'data.magnitude': { $gte: 5 } });
 * isBigQuake({ type: 'ORIGIN', data: { magnitude: 5.4 } }); // true
 * isBigQuake({ type: 'ORIGIN', data: { magnitude: 3.1 } }); // false
 * compileFilter({ 'data.i': { $in: 5 } }); // throws HmbFilterError: $in expects list argument
 * ```
 * @param filter - the filter document, as decoded from JSON or BSON (or written in JavaScript).
 * @param options - see {@link HmbCompileFilterOptions}.
 * @returns a predicate that tells whether a message passes.
 * @throws HmbFilterError when the filter is invalid. A filter that is not a document at all
 *   (`null`, a string, an array) gives `unexpected expression: <its JSON>`, the text the original
 *   server uses for a non-document inside `$and`/`$or`/`$nor`. (The original server cannot even
 *   receive such a filter; a caller that wants `null` to mean "no filter" must check for it first.)
 */
export function compileFilter(
  filter: unknown,
  options: HmbCompileFilterOptions = {},
): HmbFilterPredicate {
  const context: FilterCompileContext = {
    budget: new FilterBudget(),
    regex: options.regex === true,
  };
  if (!isDocument(filter)) throw new HmbFilterError(`unexpected expression: ${goJson(filter)}`);
  const predicate = compileExpression(filter, 1, context);
  return (message) => {
    resetSteps();
    try {
      return predicate(message);
    } catch (err) {
      // Out of steps (MAX_FILTER_STEPS): the message does not pass (docs/server-differences.md).
      if (err === STEPS_EXCEEDED) return false;
      throw err;
    }
  };
}

/**
 * Compiles a filter document: each key is a clause, and the clauses are ANDed. An empty document
 * is `invalid filter expression`, at the top and equally inside `$and`/`$or`/`$nor`/`$not`.
 */
function compileExpression(
  expression: Readonly<Record<string, unknown>>,
  depth: number,
  context: FilterCompileContext,
): HmbFilterPredicate {
  context.budget.enter(depth);
  const keys = definedKeys(expression);
  if (keys.length === 0) throw new HmbFilterError(INVALID_FILTER_EXPRESSION);
  const parts: HmbFilterPredicate[] = [];
  for (const key of keys) {
    context.budget.clause();
    parts.push(compileClause(key, expression[key], depth, context));
  }
  return allOf(parts);
}

/**
 * Compiles one clause. Only the four logical operators are special at this level: any other key,
 * even `$where` or `$in`, is taken as a field name (one that never matches), as on the original.
 */
function compileClause(
  key: string,
  value: unknown,
  depth: number,
  context: FilterCompileContext,
): HmbFilterPredicate {
  switch (key) {
    case '$and':
    case '$or':
    case '$nor': {
      if (!Array.isArray(value)) throw new HmbFilterError(`${key} requires a list`);
      context.budget.enter(depth + 1);
      const parts: HmbFilterPredicate[] = [];
      // An index loop: a hole in a sparse array reads as undefined, reported as `null`.
      for (let i = 0; i < value.length; i++) {
        const element: unknown = value[i];
        if (!isDocument(element)) {
          throw new HmbFilterError(`unexpected expression: ${goJson(element, depth + 2)}`);
        }
        parts.push(compileExpression(element, depth + 2, context));
      }
      if (key === '$and') return allOf(parts);
      return key === '$or' ? anyOf(parts) : noneOf(parts);
    }
    case '$not':
      if (!isDocument(value)) throw new HmbFilterError('$not requires a dict');
      return not(compileExpression(value, depth + 1, context));
    default:
      return compileFieldExpression(key, value, depth, context);
  }
}
