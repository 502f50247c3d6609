export { compileFilter, type HmbCompileFilterOptions } from './compile-filter';
export {
  MAX_FILTER_CLAUSES,
  MAX_FILTER_DEPTH,
  MAX_FILTER_TESTS,
  MAX_FILTER_VALUES,
  REGEX_TEST_COST,
} from './filter-budget';
export { MAX_FILTER_STEPS } from './evaluation-steps';
export type { HmbFilterPredicate, HmbFilterTarget } from './filter-target';
export { MAX_REGEX_LENGTH, MAX_REGEX_PROGRAM_SIZE } from './regex-test';
