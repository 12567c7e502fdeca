// Plain record values as Salesforce serialises them in JSON.
export type FieldValue = string | number | boolean | null;
export type SObjectRecord = Record<string, FieldValue>;

/** Salesforce's JSON datetime format: 2024-05-01T12:34:56.000+0000 */
export function salesforceDateTime(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}
