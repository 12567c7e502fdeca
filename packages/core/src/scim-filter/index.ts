export type {
  AttrPath,
  CompareFilter,
  CompareOperator,
  CompareValue,
  FilterNode,
  LogicalFilter,
  NotFilter,
  PatchPath,
  PresentFilter,
  ValuePathFilter,
} from './filter-ast.js';
export { COMPARE_OPERATORS } from './filter-ast.js';
export { ScimFilterError, isScimFilterError, type ScimFilterErrorType } from './scim-filter-error.js';
export { parseFilter, parsePatchPath, DEFAULT_MAX_FILTER_DEPTH, DEFAULT_MAX_FILTER_LENGTH, type ParseLimits } from './filter-parser.js';
export { formatAttrPath } from './attribute-path.js';
export { matchesFilter, DEFAULT_CASE_EXACT_ATTRIBUTES, type FilterMatchOptions } from './filter-evaluator.js';
export { resolvePath } from './resolve-path.js';
