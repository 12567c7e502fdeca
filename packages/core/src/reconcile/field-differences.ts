import type { MappedAttributes } from '../connector/outbound-connector.js';
import type { FieldDifference } from '../store/records.js';

/** Absent, null and empty text are one thing to a target: none of them is drift against another. */
const isEmpty = (value: unknown): boolean => value === undefined || value === null || value === '';

function sameValue(remote: unknown, wanted: unknown, ignoreCase: boolean): boolean {
  if (isEmpty(remote) && isEmpty(wanted)) return true;
  if (typeof remote === 'string' && typeof wanted === 'string')
    return ignoreCase ? remote.toLowerCase() === wanted.toLowerCase() : remote === wanted;
  // Targets answer numbers and booleans as text now and then (Salesforce checkboxes, SCIM extensions).
  if (typeof remote !== 'object' && typeof wanted !== 'object') return String(remote) === String(wanted);
  return JSON.stringify(remote) === JSON.stringify(wanted);
}

/**
 * The fields of the mapping whose value in the target is not what the mapping wants now.
 * Only the mapping's fields count: a target holds many fields Provisio never writes.
 */
export function fieldDifferences(
  remote: MappedAttributes,
  wanted: MappedAttributes,
  ignoresCase: (field: string) => boolean,
): FieldDifference[] {
  const differences: FieldDifference[] = [];
  for (const [field, value] of Object.entries(wanted)) {
    const actual = remote[field];
    if (sameValue(actual, value, ignoresCase(field))) continue;
    differences.push({ field, ...(isEmpty(actual) ? {} : { remote: actual }), ...(isEmpty(value) ? {} : { wanted: value }) });
  }
  return differences;
}
