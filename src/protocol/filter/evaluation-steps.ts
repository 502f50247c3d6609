/**
 * The most steps one evaluation of a compiled filter on one message may take: a step is a value
 * offered to a test or an array element walked on the way to a field, and a `$regex` test costs
 * extra steps by the length of the string it scans. A filter's clauses each walk the values at
 * their field, so a cheap filter (an `$or` of many clauses) on a big message (an array of a
 * million numbers) multiplies; this bound keeps one message from holding the event loop for
 * seconds. A step is about 5 ns, so the bound is about 20 ms of work (on this project's 2-core
 * machine); it still lets four clauses walk a million-element array.
 */
export const MAX_FILTER_STEPS = 4_000_000;

/**
 * Steps a `$regex` test costs per character of the string it scans: re2js takes about 40–120 ns
 * per character, so 8 steps; a message string of up to 500,000 characters fits the bound.
 */
export const REGEX_STEPS_PER_CHAR = 8;

/** Thrown (and caught by the top-level predicate) when an evaluation runs out of steps. */
export const STEPS_EXCEEDED: unique symbol = Symbol('filter steps exceeded');

// Evaluation is synchronous and predicates never call each other's top level, so one counter
// for the running evaluation is enough.
let stepsLeft = MAX_FILTER_STEPS;

/** Starts the step count of one evaluation. */
export function resetSteps(): void {
  stepsLeft = MAX_FILTER_STEPS;
}

/** Spends `n` steps; throws {@link STEPS_EXCEEDED} when the evaluation has none left. */
export function spendSteps(n: number): void {
  stepsLeft -= n;
  if (stepsLeft < 0) throw STEPS_EXCEEDED;
}
