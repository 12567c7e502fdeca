// Public groups, group members and permission set assignments.
import type { SObjectRules } from './sobject-rules.js';
import type { RecordError } from './errors.js';
import type { OrgState } from './org-state.js';
import type { SObjectRecord } from './records.js';

/** Salesforce's message for a second identical membership/assignment row. */
const DUPLICATE_ROW: RecordError = {
  statusCode: 'DUPLICATE_VALUE',
  message: 'duplicate value found: <unknown> duplicates value on record with id: <unknown>',
  fields: [],
};

const DEVELOPER_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*$/;

function developerNameFrom(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  const withLetter = /^[A-Za-z]/.test(cleaned) ? cleaned : `X${cleaned}`;
  return withLetter.slice(0, 80);
}

/** Groups the API may create: public groups and queues. */
const CREATEABLE_GROUP_TYPES = ['Regular', 'Queue'];

export const groupRules: SObjectRules = {
  derive(record: SObjectRecord, existing: SObjectRecord | undefined) {
    if (!existing) {
      record['Type'] = record['Type'] ?? 'Regular';
      if (record['DeveloperName'] === null || record['DeveloperName'] === undefined) {
        record['DeveloperName'] = developerNameFrom(String(record['Name']));
      }
    }
  },

  validate(record: SObjectRecord, existing: SObjectRecord | undefined, state: OrgState) {
    if (!existing && !CREATEABLE_GROUP_TYPES.includes(String(record['Type']))) {
      return {
        statusCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        message: `Type: bad value for restricted picklist field: ${String(record['Type'])}`,
        fields: ['Type'],
      };
    }
    const developerName = String(record['DeveloperName']);
    if (!DEVELOPER_NAME.test(developerName) || developerName.endsWith('_')) {
      return {
        statusCode: 'FIELD_INTEGRITY_EXCEPTION',
        message:
          'The Group Name can only contain underscores and alphanumeric characters. It must be unique, begin with a letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.',
        fields: ['DeveloperName'],
      };
    }
    const clash = state
      .all('Group')
      .some((g) => g['Id'] !== record['Id'] && String(g['DeveloperName']).toLowerCase() === developerName.toLowerCase());
    if (clash) {
      return {
        statusCode: 'DUPLICATE_DEVELOPER_NAME',
        message: 'This Group Name already exists or has been previously used. Please choose a different name.',
        fields: ['DeveloperName'],
      };
    }
    return undefined;
  },
};

export const groupMemberRules: SObjectRules = {
  validate(record: SObjectRecord, _existing: SObjectRecord | undefined, state: OrgState) {
    const duplicate = state
      .all('GroupMember')
      .some((m) => m['GroupId'] === record['GroupId'] && m['UserOrGroupId'] === record['UserOrGroupId']);
    return duplicate ? DUPLICATE_ROW : undefined;
  },
};

export const permissionSetAssignmentRules: SObjectRules = {
  validate(record: SObjectRecord, _existing: SObjectRecord | undefined, state: OrgState) {
    const permissionSet = state.get('PermissionSet', String(record['PermissionSetId']));
    if (permissionSet?.['IsOwnedByProfile'] === true) {
      return {
        statusCode: 'INVALID_CROSS_REFERENCE_KEY',
        message: "You can't assign or unassign this permission set because it's associated with a profile.",
        fields: ['PermissionSetId'],
      };
    }
    const duplicate = state
      .all('PermissionSetAssignment')
      .some((a) => a['AssigneeId'] === record['AssigneeId'] && a['PermissionSetId'] === record['PermissionSetId']);
    return duplicate ? DUPLICATE_ROW : undefined;
  },
  derive(record: SObjectRecord) {
    record['IsActive'] = true;
  },
};
