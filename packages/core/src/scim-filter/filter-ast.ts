/** Typed AST of RFC 7644 §3.4.2.2 filters and §3.5.2 PATCH paths. */

/** `[schema:]attribute[.subAttribute]`, e.g. `name.familyName` or `urn:...:enterprise:2.0:User:department`. */
export interface AttrPath {
  schema?: string;
  attribute: string;
  subAttribute?: string;
}

export type CompareOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

export type CompareValue = string | number | boolean | null;

export interface CompareFilter {
  kind: 'compare';
  path: AttrPath;
  op: CompareOperator;
  value: CompareValue;
}

export interface PresentFilter {
  kind: 'present';
  path: AttrPath;
}

export interface LogicalFilter {
  kind: 'and' | 'or';
  left: FilterNode;
  right: FilterNode;
}

export interface NotFilter {
  kind: 'not';
  filter: FilterNode;
}

/** `emails[type eq "work"]`: the inner filter's paths are relative to each value of `path`. */
export interface ValuePathFilter {
  kind: 'valuePath';
  path: AttrPath;
  filter: FilterNode;
}

export type FilterNode = CompareFilter | PresentFilter | LogicalFilter | NotFilter | ValuePathFilter;

/**
 * A PATCH path (RFC 7644 §3.5.2): `attr`, `attr.sub`, `urn:...:attr`, `attr[filter]`, `attr[filter].sub`.
 * When `valueFilter` is set, `path.subAttribute` is unset and the trailing `.sub` is in `subAttribute`.
 */
export interface PatchPath {
  path: AttrPath;
  valueFilter?: FilterNode;
  subAttribute?: string;
}

export const COMPARE_OPERATORS: readonly CompareOperator[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];
