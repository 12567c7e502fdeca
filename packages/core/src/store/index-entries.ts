import { getAttribute, isPlainObject } from '../scim-filter/attribute-lookup.js';
import { isPresentValue } from '../scim-filter/filter-evaluator.js';
import { asBoolean } from '../scim-filter/value-comparison.js';

/**
 * What a store indexes of a user's emails, one entry per email, read the way the
 * filter evaluator reads them (case-insensitive names, a SCIM 1.1 plain string as
 * the value), so an indexed query and the in-memory one agree. Shared by the stores.
 */
export interface EmailIndexEntry {
  /** Lower-cased; null when not a string. */
  value: string | null;
  type: string | null;
  /** `primary` as a boolean ("true"/"false" strings too); null when absent or anything else. */
  primary: boolean | null;
  /** What `emails pr` sees for this entry. */
  present: boolean;
}

export function lowerText(value: unknown): string | null {
  return typeof value === 'string' ? value.toLowerCase() : null;
}

export function emailIndexEntries(resource: unknown): EmailIndexEntry[] {
  const emails = getAttribute(resource, 'emails');
  const list: unknown[] = emails === undefined || emails === null ? [] : Array.isArray(emails) ? emails : [emails];
  return list.map((item) => {
    if (!isPlainObject(item)) return { value: lowerText(item), type: null, primary: null, present: isPresentValue(item) };
    return {
      value: lowerText(getAttribute(item, 'value')),
      type: lowerText(getAttribute(item, 'type')),
      // As a filter compares it: a boolean, or "true"/"false" in any case.
      primary: asBoolean(getAttribute(item, 'primary')) ?? null,
      present: isPresentValue(item),
    };
  });
}
