import { SCIM_DATE_TIME, type AttrPath, type CompareFilter, type FilterNode } from '@provisio/core/engine';
import type { Column, EntityTable, MultiValued } from './entity-table.js';
import type { SqlDialect } from './sql-dialect.js';
import { param, raw, sql, type Sql } from './sql-text.js';

/**
 * Translates a SCIM filter AST to a SQL condition over a store's columns and side
 * tables (see EntityTable), with exactly the meaning of core's `matchesFilter`
 * (the store contract checks both). What SQL cannot say yields `undefined`; under
 * `and` the other side still narrows the rows (`exact: false`) and the store
 * finishes with `matchesFilter`. One compiler; the dialect says how SQLite or
 * PostgreSQL spells each piece.
 */
export interface Condition {
  sql: Sql;
  /** true: the SQL alone decides; false: a superset, to be checked with matchesFilter. */
  exact: boolean;
}

export interface SortColumn {
  expr: string;
  /** No ties: no insertion-order tie-breaker needed. */
  unique: boolean;
}

type Leaf = CompareFilter | { kind: 'present'; path: AttrPath };

const exact = (statement: Sql): Condition => ({ sql: statement, exact: true });

// Letters, digits and a few separators: JSON writes them as they are, in any string.
const PLAIN_TEXT = /^[A-Za-z0-9 ._@+-]+$/;

export class FilterCompiler {
  private readonly TRUE: Condition;
  private readonly FALSE: Condition;

  constructor(private readonly dialect: SqlDialect) {
    this.TRUE = exact(dialect.true);
    this.FALSE = exact(dialect.false);
  }

  translate(node: FilterNode, table: EntityTable): Condition | undefined {
    switch (node.kind) {
      case 'and': {
        const left = this.translate(node.left, table);
        const right = this.translate(node.right, table);
        if (!left || !right) {
          const one = left ?? right;
          return one && { ...one, exact: false };
        }
        return { sql: sql`(${left.sql}) AND (${right.sql})`, exact: left.exact && right.exact };
      }
      case 'or': {
        const left = this.translate(node.left, table);
        const right = this.translate(node.right, table);
        if (!left || !right) return undefined;
        return { sql: sql`(${left.sql}) OR (${right.sql})`, exact: left.exact && right.exact };
      }
      case 'not': {
        const inner = this.translate(node.filter, table);
        return inner?.exact ? this.not(inner) : undefined;
      }
      case 'present':
      case 'compare':
        return this.leaf(node, table);
      case 'valuePath': {
        const multi =
          coreAttribute(node.path, table) && node.path.subAttribute === undefined
            ? table.multiValued[node.path.attribute.toLowerCase()]
            : undefined;
        const inner = multi && this.element(node.filter, multi);
        return inner && this.member(table, multi, inner.sql);
      }
    }
  }

  /** What to ORDER BY for `sortBy`, or undefined when the store must sort in memory. */
  sortColumn(path: AttrPath, table: EntityTable): SortColumn | undefined {
    if (!coreAttribute(path, table)) return undefined;
    const name = localName(path);
    const column = table.columns[name];
    if (column) return { expr: column.sortExpr ?? column.expr, unique: column.unique === true };
    const only = table.sortOnly?.[name];
    return only === undefined ? undefined : { expr: only, unique: false };
  }

  /** coalesce: a comparison with NULL is unknown in SQL, but simply false in SCIM. */
  private not(inner: Condition): Condition {
    return exact(sql`NOT coalesce((${inner.sql}), ${this.dialect.false})`);
  }

  private member(table: EntityTable, multi: MultiValued, condition: Sql, negate = false): Condition {
    const scoped = table.sideScope ? sql`${table.sideScope} AND (${condition})` : condition;
    return exact(this.dialect.member(multi, table.id, scoped, negate));
  }

  private leaf(node: Leaf, table: EntityTable): Condition | undefined {
    if (!coreAttribute(node.path, table)) return this.extensionLeaf(node, table);
    const column = table.columns[localName(node.path)];
    if (column) return node.kind === 'present' ? this.present(column) : this.compare(column, node.op, node.value);
    const multi = table.multiValued[node.path.attribute.toLowerCase()];
    const sub = multi?.subs[(node.path.subAttribute ?? 'value').toLowerCase()];
    if (!multi || !sub) return undefined;
    if (node.kind === 'present')
      return this.member(table, multi, node.path.subAttribute === undefined ? raw(multi.present) : this.present(sub).sql);
    // Multi-valued: `ne` means no value equals; `eq null` means no value at all.
    if (node.value === null) {
      if (node.op === 'eq') return this.member(table, multi, this.present(sub, true).sql, true);
      return node.op === 'ne' ? this.member(table, multi, this.present(sub, true).sql) : this.FALSE;
    }
    if (node.op === 'ne') {
      const eq = this.compare(sub, 'eq', node.value);
      return eq && (eq === this.FALSE ? this.TRUE : this.member(table, multi, eq.sql, true));
    }
    const condition = this.compare(sub, node.op, node.value);
    return condition && (condition === this.FALSE ? this.FALSE : this.member(table, multi, condition.sql));
  }

  /**
   * An extension attribute (`urn:…:User:costCenter eq "x"`): a superset in SQL, the rows whose
   * stored JSON contains the value case-insensitively; matchesFilter decides. Only values whose
   * JSON text is themselves and that compare as text (not numbers, booleans or dates) qualify;
   * the two characters whose JavaScript lower case is ASCII (İ → i̇, Kelvin K → k) are folded too.
   */
  private extensionLeaf(node: Leaf, table: EntityTable): Condition | undefined {
    if (table.document === undefined || node.kind !== 'compare' || !['eq', 'co', 'sw', 'ew'].includes(node.op)) return undefined;
    const value = node.value;
    if (typeof value !== 'string' || !PLAIN_TEXT.test(value) || /^(true|false)$/i.test(value) || Number.isFinite(Number(value)))
      return undefined; // (a dateTime has ':', which PLAIN_TEXT excludes: it compares chronologically)
    const folded = raw(`lower(replace(replace(${table.document}, '\u0130', 'i'), '\u212A', 'k'))`);
    return { sql: this.dialect.contains(folded, value.toLowerCase()), exact: false };
  }

  /** A filter on one value of a multi-valued attribute (inside `emails[...]`). */
  private element(node: FilterNode, multi: MultiValued): Condition | undefined {
    switch (node.kind) {
      case 'and':
      case 'or': {
        const left = this.element(node.left, multi);
        const right = this.element(node.right, multi);
        return left && right ? exact(sql`(${left.sql}) ${raw(node.kind.toUpperCase())} (${right.sql})`) : undefined;
      }
      case 'not': {
        const inner = this.element(node.filter, multi);
        return inner && this.not(inner);
      }
      case 'valuePath':
        return undefined;
      default: {
        if (node.path.schema !== undefined || node.path.subAttribute !== undefined) return undefined;
        const column = multi.subs[node.path.attribute.toLowerCase()];
        if (!column) return undefined;
        return node.kind === 'present' ? this.present(column) : this.compare(column, node.op, node.value);
      }
    }
  }

  /** `pr` (`anyValue`: `eq null` is "not any value", where "" counts as a value). */
  private present(column: Column, anyValue = false): Condition {
    if (column.always) return this.TRUE;
    const c = raw(column.expr);
    if (anyValue || column.kind !== 'text') return exact(sql`${c} IS NOT NULL`);
    return exact(sql`(${c} IS NOT NULL AND ${c} <> '')`);
  }

  private compare(column: Column, op: CompareFilter['op'], value: CompareFilter['value']): Condition | undefined {
    const c = raw(column.expr);
    if (value === null) {
      if (op === 'eq') return column.always ? this.FALSE : exact(sql`${c} IS NULL`);
      return op === 'ne' ? this.present(column, true) : this.FALSE;
    }
    if (column.kind === 'bool') return this.compareBoolean(column, op, value);
    if (typeof value !== 'string' || !this.dialect.acceptsText(value)) return undefined;
    if (column.kind === 'date') {
      const time = SCIM_DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
      if (Number.isNaN(time) || op === 'co' || op === 'sw' || op === 'ew') return undefined;
      return ordered(column, op, this.dialect.dateValue(time));
    }
    // A date-like value compares chronologically with date-like attribute values: leave that to matchesFilter.
    if (SCIM_DATE_TIME.test(value)) return undefined;
    const v = column.caseExact ? value : value.toLowerCase();
    if ((op === 'co' || op === 'sw' || op === 'ew') && v === '') return exact(sql`${c} IS NOT NULL`);
    switch (op) {
      case 'co':
        return exact(this.dialect.contains(c, v));
      case 'sw':
        return exact(this.dialect.startsWith(c, v));
      case 'ew':
        return exact(this.dialect.endsWith(c, v));
      default:
        return ordered(column, op, v);
    }
  }

  private compareBoolean(column: Column, op: CompareFilter['op'], value: string | number | boolean): Condition | undefined {
    const wanted =
      typeof value === 'boolean'
        ? value
        : typeof value === 'string'
          ? ({ true: true, false: false } as Record<string, boolean>)[value.trim().toLowerCase()]
          : undefined;
    if (typeof value === 'string' && !column.always) return undefined; // a stored string "True" vs a string filter value compares as text
    if (op !== 'eq' && op !== 'ne') return op === 'co' || op === 'sw' || op === 'ew' || typeof value === 'number' ? undefined : this.FALSE;
    if (wanted === undefined) return op === 'eq' ? this.FALSE : this.present(column, true);
    return ordered(column, op, this.dialect.boolValue(wanted));
  }
}

function coreAttribute(path: AttrPath, table: EntityTable): boolean {
  return path.schema === undefined || path.schema.toLowerCase() === table.schema;
}

function localName(path: AttrPath): string {
  return (path.subAttribute === undefined ? path.attribute : `${path.attribute}.${path.subAttribute}`).toLowerCase();
}

function ordered(column: Column, op: CompareFilter['op'], v: string | number | boolean): Condition {
  const c = raw(column.expr);
  if (op === 'ne') return exact(column.always ? sql`${c} <> ${param(v)}` : sql`(${c} IS NULL OR ${c} <> ${param(v)})`);
  const sqlOp = { eq: '=', gt: '>', ge: '>=', lt: '<', le: '<=' }[op as 'eq' | 'gt' | 'ge' | 'lt' | 'le'];
  return exact(sql`${c} ${raw(sqlOp)} ${param(v)}`);
}
