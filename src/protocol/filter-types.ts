/**
 * A MongoDB-style filter on messages, as the HMB `filter` parameter takes it. Fields that can be
 * tested: `type`, `sender` and `data.<path>` (dotted paths reach into nested documents; an array
 * matches if any element matches). Operators: `$eq $ne $gt $gte $lt $lte $in $nin $exists`, and at
 * the top level `$and $or $nor $not`; `$regex` only where the server offers the REGEX capability.
 *
 * @example
 * ```ts
 * const filter: HmbFilter = { type: 'ORIGIN', 'data.magnitude': { $gte: 5 } };
 * ```
 */
export type HmbFilter = { readonly [field: string]: HmbFilterValue };

/** A scalar a filter can compare against. */
export type HmbFilterScalar = string | number | boolean | null;

/** What may stand on the right-hand side of a field or operator in an {@link HmbFilter}. */
export type HmbFilterValue =
  HmbFilterScalar | readonly HmbFilterValue[] | { readonly [operator: string]: HmbFilterValue };
