/**
 * A scalar a filter can compare against. Documents are never compared (the server reads a
 * document on the right-hand side as operators) and arrays never equal anything (docs/protocol.md §15.4 and §16).
 */
type Comparable = string | number | boolean | null;

/** The element type when `V` is an array (arrays match if any element matches), else `V`. */
type ElementOf<V> = V extends readonly (infer E)[] ? E : V;

/** What a field of type `V` can be compared with: its scalar part, array elements unwrapped. */
type ComparableOf<V> = Extract<ElementOf<Exclude<V, undefined>>, Comparable>;

/** Only strings and numbers can be ordered (`$gt true` is an error on the server). */
type OrderedOf<V> = Extract<V, string | number>;

/**
 * The operators a filter may apply to one field whose comparable values are `V`. Several are
 * ANDed. `$regex` (with `$options`, a string of the flags `i`, `m`, `s`) needs RE2 syntax and, on a
 * server, the REGEX capability; on the client {@link whereData} accepts it by default.
 *
 * @example
 * ```ts
 * const bigOnes: HmbFieldOperators<number> = { $gte: 5, $lt: 9 };
 * ```
 */
export interface HmbFieldOperators<V> {
  readonly $eq?: V;
  readonly $ne?: V;
  readonly $gt?: OrderedOf<V>;
  readonly $gte?: OrderedOf<V>;
  readonly $lt?: OrderedOf<V>;
  readonly $lte?: OrderedOf<V>;
  readonly $in?: readonly V[];
  readonly $nin?: readonly V[];
  readonly $exists?: boolean;
  readonly $regex?: Extract<V, string> extends never ? never : string;
  readonly $options?: Extract<V, string> extends never ? never : string;
}

/**
 * The right-hand side of one field of an {@link HmbDataFilter}: a value to equal, or operators.
 *
 * @example
 * ```ts
 * const exact: HmbFieldCondition<string> = 'ORIGIN';
 * const range: HmbFieldCondition<number> = { $gte: 4.5 };
 * ```
 */
export type HmbFieldCondition<V> = V | HmbFieldOperators<V>;

/** Depth budget for dotted paths (a recursive data type would otherwise never end). */
type PrevDepth = [never, 0, 1, 2, 3, 4, 5, 6];
/** How deep {@link HmbDataFilter} spells out dotted paths into the data type. */
type MaxPathDepth = 6;

/**
 * Every `[path, type]` pair of `T`, paths joined with dots under `Prefix`. Arrays are stepped
 * through (one level, as the server does): `tags: string[]` gives `tags` with type `string[]`, and
 * `items: {name: string}[]` also gives `items.name`.
 */
type PathEntries<T, Prefix extends string, Depth extends number> = [Depth] extends [never]
  ? never
  : T extends Comparable | undefined
    ? never
    : T extends readonly unknown[]
      ? never
      : T extends object
        ? {
            [K in keyof T & string]-?:
              | readonly [`${Prefix}${K}`, T[K]]
              | PathEntries<
                  ElementOf<Exclude<T[K], undefined>>,
                  `${Prefix}${K}.`,
                  PrevDepth[Depth]
                >;
          }[keyof T & string]
        : never;

/** `data.<path>` conditions for a data type that is not known (`unknown` or `any`). */
type UntypedDataConditions = {
  readonly [path: `data.${string}`]: HmbFieldCondition<Comparable> | undefined;
};

/** `data.<path>` conditions, spelled out from the data type `T`. */
type TypedDataConditions<T> = {
  readonly [E in PathEntries<T, 'data.', MaxPathDepth> as E[0]]?: HmbFieldCondition<
    ComparableOf<E[1]>
  >;
};

// An object type literal rather than interfaces: only type literals get an implicit index
// signature, which a typed filter needs to be assignable to the untyped one
// (`HmbDataFilter<Alert>` to `HmbDataFilter`).

/**
 * A MongoDB-style filter on messages whose `data` is of type `T`, with the server's semantics:
 * the keys are `type`, `sender` and `data.<dotted path of T>`, each with a value of that field's
 * type or an object of operators ({@link HmbFieldOperators}), plus `$and`, `$or`, `$nor` and
 * `$not` over whole filters. Arrays in `T` are stepped through (a condition on `data.tags` of
 * type `string[]` takes a `string`: an array matches if any element does). With `T = unknown`
 * every `data.<path>` is accepted.
 *
 * The type catches misspelt paths and values of the wrong type; the rules it cannot express
 * (an empty filter, an empty operator object) are checked when the filter is compiled, and break
 * with `HmbFilterError` there.
 *
 * @typeParam T - the type of the messages' `data`.
 * @example
 * ```ts
 * import type { HmbDataFilter } from 'hmb-rx';
 * interface Alert { eventId: string; magnitude: number; tags: string[]; origin: { depthKm: number } }
 * const strongShallow: HmbDataFilter<Alert> = {
 *   type: 'SYSTEM_ALERT',
 *   'data.magnitude': { $gte: 5 },
 *   'data.origin.depthKm': { $lt: 70 },
 *   $or: [{ 'data.tags': 'tsunami' }, { 'data.magnitude': { $gte: 7 } }],
 * };
 * // @ts-expect-error: magnitude is a number
 * const wrong: HmbDataFilter<Alert> = { 'data.magnitude': '5' };
 * ```
 */
export type HmbDataFilter<T = unknown> = {
  /** The message type. */
  readonly type?: HmbFieldCondition<string>;
  /** The cid of the sending session (always present on delivered messages). */
  readonly sender?: HmbFieldCondition<string>;
  /** Every filter must pass (an empty list: always). */
  readonly $and?: readonly HmbDataFilter<T>[];
  /** At least one filter must pass (an empty list: never). */
  readonly $or?: readonly HmbDataFilter<T>[];
  /** No filter may pass. */
  readonly $nor?: readonly HmbDataFilter<T>[];
  /** The filter must not pass. */
  readonly $not?: HmbDataFilter<T>;
} & ([T] extends [never]
  ? UntypedDataConditions
  : unknown extends T
    ? UntypedDataConditions
    : TypedDataConditions<T>);
