// Per-type business rules that run after the shared field rules.
import type { RecordError } from './errors.js';
import type { OrgState } from './org-state.js';
import type { SObjectRecord } from './records.js';

export interface SObjectRules {
  /** Checks a save; `record` is the merged result (existing + changes), `existing` is undefined on create. */
  validate?(record: SObjectRecord, existing: SObjectRecord | undefined, state: OrgState): RecordError | undefined;
  /** Fills fields the server derives (Name, nicknames, developer names...). */
  derive?(record: SObjectRecord, existing: SObjectRecord | undefined, state: OrgState): void;
}
