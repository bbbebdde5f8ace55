/** Names of aggregate functions (kept apart so the scalar compiler can say "only in summarize"). */
export const AGGREGATE_NAMES: ReadonlySet<string> = new Set([
  'count', 'countif', 'dcount', 'dcountif', 'sum', 'sumif', 'avg', 'avgif', 'min', 'max', 'minif', 'maxif',
  'make_set', 'make_list', 'make_set_if', 'make_list_if', 'makeset', 'makelist', 'make_bag',
  'arg_max', 'arg_min', 'take_any', 'any', 'percentile', 'percentiles', 'stdev', 'variance', 'count_distinct',
]);
