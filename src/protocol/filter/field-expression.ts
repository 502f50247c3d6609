import { HmbFilterError } from '../../errors/filter-error';
import { compileFieldAccessor } from './field-accessor';
import { REGEX_TEST_COST, type FilterBudget } from './filter-budget';
import type { HmbFilterPredicate } from './filter-target';
import { parseFilterValue } from './filter-value';
import { definedKeys, isDocument } from './is-document';
import { allOf, NEVER, not } from './logical-predicates';
import { regexTest } from './regex-test';
import { equalsTest, membershipTest, orderTest } from './value-tests';

/** What compiling one filter shares across its clauses. */
export interface FilterCompileContext {
  readonly budget: FilterBudget;
  /** Whether `$regex`/`$options` are operators (server REGEX capability) or unknown names. */
  readonly regex: boolean;
}

/** The text for an empty document where an expression is expected. */
export const INVALID_FILTER_EXPRESSION = 'invalid filter expression';

/**
 * Compiles one `field: condition` pair. A condition that is not a document is an implicit `$eq`
 * (a list there is accepted but never matches, while `$eq` refuses a list: both as the original
 * server does). A document is always read as operators, never as a value to match exactly, so
 * `{"data": {"i": 1}}` is `unknown operator: i`. Several operators are ANDed, in document order,
 * and the first invalid one (in document order) gives the error; the original server, iterating
 * a Go map, picks one at random.
 *
 * @param depth - the nesting level of the document that holds the field.
 */
export function compileFieldExpression(
  field: string,
  condition: unknown,
  depth: number,
  context: FilterCompileContext,
): HmbFilterPredicate {
  const accessor = compileFieldAccessor(field);
  if (!isDocument(condition)) {
    context.budget.test();
    const value = parseFilterValue(condition, depth + 1, context.budget);
    return value.kind === 'list' ? NEVER : accessor.some(equalsTest(value));
  }

  context.budget.enter(depth + 1);
  const operators = definedKeys(condition);
  if (operators.length === 0) throw new HmbFilterError(INVALID_FILTER_EXPRESSION);
  const parts: HmbFilterPredicate[] = [];
  for (const operator of operators) {
    context.budget.clause();
    const argument = condition[operator];
    if (context.regex && operator === '$options') {
      // `$options` only qualifies its sibling `$regex`, which reads it.
      if (condition['$regex'] === undefined) throw new HmbFilterError('$options requires $regex');
      continue;
    }
    if (context.regex && operator === '$regex' && typeof argument === 'object') {
      // A RegExp (how js-bson decodes a BSON regular expression) is not a plain filter value.
      if (Object.prototype.toString.call(argument) === '[object RegExp]') {
        context.budget.test(REGEX_TEST_COST);
        parts.push(accessor.some(regexTest(argument, condition['$options'])));
        continue;
      }
    }

    // As on the original server, the argument is validated before the operator is looked up.
    const value = parseFilterValue(argument, depth + 2, context.budget);
    context.budget.test(operator === '$regex' && context.regex ? REGEX_TEST_COST : 1);
    switch (operator) {
      case '$eq':
      case '$ne': {
        if (value.kind === 'list') throw new HmbFilterError(`${operator} does not support list`);
        const equal = accessor.some(equalsTest(value));
        // `$ne` holds when no value equals: a missing field matches, and an array that contains
        // the value does not.
        parts.push(operator === '$eq' ? equal : not(equal));
        break;
      }
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
        if (value.kind !== 'number' && value.kind !== 'string') {
          throw new HmbFilterError(`${operator} expects numeric or string argument`);
        }
        parts.push(accessor.some(orderTest(operator, value.value)));
        break;
      case '$in':
      case '$nin': {
        if (value.kind !== 'list') throw new HmbFilterError(`${operator} expects list argument`);
        const member = accessor.some(membershipTest(value.items));
        // `$nin` is the exact negation of `$in` (MongoDB semantics): a missing field matches.
        // The original server's `$nin` matches every message; see docs/server-differences.md.
        parts.push(operator === '$in' ? member : not(member));
        break;
      }
      case '$exists':
        if (value.kind !== 'bool') throw new HmbFilterError('$exists expects boolean argument');
        // Present means the key is there, whatever it holds, including `null` and `[]` (the
        // original server misses `[]`; see docs/server-differences.md).
        parts.push(value.value ? accessor.exists() : not(accessor.exists()));
        break;
      case '$regex':
        if (!context.regex) throw unknownOperator(operator);
        parts.push(accessor.some(regexTest(argument, condition['$options'])));
        break;
      default:
        throw unknownOperator(operator);
    }
  }
  return allOf(parts);
}

function unknownOperator(operator: string): HmbFilterError {
  return new HmbFilterError(`unknown operator: ${operator}`);
}
