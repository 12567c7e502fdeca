// The sObject types this emulator knows, described the way Salesforce's
// describe call describes them. Validation, SOQL and describe all read this.
import { KEY_PREFIXES } from './ids.js';
import { EMAIL_ENCODING_KEYS, GROUP_TYPES, LANGUAGE_LOCALE_KEYS, LOCALE_SID_KEYS, TIME_ZONE_SID_KEYS, USER_TYPES } from './picklists.js';

type FieldType = 'id' | 'string' | 'email' | 'phone' | 'textarea' | 'boolean' | 'picklist' | 'reference' | 'datetime';

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
  length?: number;
  createable: boolean;
  updateable: boolean;
  /** false = the field must have a value when saved (REQUIRED_FIELD_MISSING). */
  nillable: boolean;
  /** The server fills it in when the client omits it on create. */
  defaultedOnCreate?: boolean;
  referenceTo?: string[];
  picklistValues?: readonly string[];
}

export interface SObjectDef {
  name: string;
  label: string;
  labelPlural: string;
  keyPrefix: string;
  createable: boolean;
  updateable: boolean;
  deletable: boolean;
  fields: FieldDef[];
}

/** A field the org fills in itself on create: never written by a client, never null. */
const systemField = (name: string, label: string, type: FieldType, extra: Pick<FieldDef, 'length' | 'referenceTo'> = {}): FieldDef => ({
  name,
  label,
  type,
  ...extra,
  createable: false,
  updateable: false,
  nillable: false,
  defaultedOnCreate: true,
});
/** An 18-character record id of `referenceTo`, written on create; by default fixed after it and required. */
const reference = (name: string, label: string, referenceTo: string[], { updateable = false, nillable = false } = {}): FieldDef => ({
  name,
  label,
  type: 'reference',
  referenceTo,
  length: 18,
  createable: true,
  updateable,
  nillable,
});

/** The license kind of a user or profile; Salesforce sets it. */
const userType: FieldDef = {
  name: 'UserType',
  label: 'User Type',
  type: 'picklist',
  length: 40,
  picklistValues: USER_TYPES,
  createable: false,
  updateable: false,
  nillable: true,
};

const SYSTEM_MODSTAMP = systemField('SystemModstamp', 'System Modstamp', 'datetime');
const SYSTEM_FIELDS: FieldDef[] = [
  systemField('CreatedDate', 'Created Date', 'datetime'),
  systemField('CreatedById', 'Created By ID', 'reference', { referenceTo: ['User'] }),
  systemField('LastModifiedDate', 'Last Modified Date', 'datetime'),
  systemField('LastModifiedById', 'Last Modified By ID', 'reference', { referenceTo: ['User'] }),
  SYSTEM_MODSTAMP,
];

const idField = (label: string): FieldDef => systemField('Id', label, 'id', { length: 18 });
const text = (name: string, label: string, length: number, nillable = true): FieldDef => ({
  name,
  label,
  type: 'string',
  length,
  createable: true,
  updateable: true,
  nillable,
});
const flag = (name: string, label: string): FieldDef => ({
  name,
  label,
  type: 'boolean',
  createable: true,
  updateable: true,
  nillable: false,
  defaultedOnCreate: true,
});
const picklist = (name: string, label: string, values: readonly string[]): FieldDef => ({
  name,
  label,
  type: 'picklist',
  length: 40,
  createable: true,
  updateable: true,
  nillable: false,
  picklistValues: values,
});

const USER_PERMISSION_FLAGS: FieldDef[] = [
  flag('UserPermissionsMarketingUser', 'Marketing User'),
  flag('UserPermissionsOfflineUser', 'Offline User'),
  flag('UserPermissionsCallCenterAutoLogin', 'Auto-login To Call Center'),
  flag('UserPermissionsSFContentUser', 'Salesforce CRM Content User'),
  flag('UserPermissionsKnowledgeUser', 'Knowledge User'),
  flag('UserPermissionsInteractionUser', 'Flow User'),
  flag('UserPermissionsSupportUser', 'Service Cloud User'),
];

export const USER: SObjectDef = {
  name: 'User',
  label: 'User',
  labelPlural: 'Users',
  keyPrefix: KEY_PREFIXES.User,
  createable: true,
  updateable: true,
  deletable: false,
  fields: [
    idField('User ID'),
    text('Username', 'Username', 80, false),
    text('LastName', 'Last Name', 80, false),
    text('FirstName', 'First Name', 40),
    systemField('Name', 'Full Name', 'string', { length: 121 }),
    text('CompanyName', 'Company Name', 80),
    text('Division', 'Division', 80),
    text('Department', 'Department', 80),
    text('Title', 'Title', 80),
    { name: 'Street', label: 'Street', type: 'textarea', length: 255, createable: true, updateable: true, nillable: true },
    text('City', 'City', 40),
    text('State', 'State/Province', 80),
    text('PostalCode', 'Zip/Postal Code', 20),
    text('Country', 'Country', 80),
    { name: 'Email', label: 'Email', type: 'email', length: 128, createable: true, updateable: true, nillable: false },
    { name: 'Phone', label: 'Phone', type: 'phone', length: 40, createable: true, updateable: true, nillable: true },
    { name: 'MobilePhone', label: 'Mobile', type: 'phone', length: 40, createable: true, updateable: true, nillable: true },
    text('Alias', 'Alias', 8, false),
    { ...text('CommunityNickname', 'Nickname', 40, false), defaultedOnCreate: true },
    flag('IsActive', 'Active'),
    picklist('TimeZoneSidKey', 'Time Zone', TIME_ZONE_SID_KEYS),
    picklist('LocaleSidKey', 'Locale', LOCALE_SID_KEYS),
    picklist('EmailEncodingKey', 'Email Encoding', EMAIL_ENCODING_KEYS),
    reference('ProfileId', 'Profile ID', ['Profile'], { updateable: true }),
    picklist('LanguageLocaleKey', 'Language', LANGUAGE_LOCALE_KEYS),
    reference('ManagerId', 'Manager ID', ['User'], { updateable: true, nillable: true }),
    text('EmployeeNumber', 'Employee Number', 20),
    // A custom field, as an org admin adds one (Setup → Object Manager → User → Fields): mapped from a SCIM extension in tests.
    text('CostCenter__c', 'Cost Center', 40),
    text('FederationIdentifier', 'SAML Federation ID', 512),
    { ...userType, defaultedOnCreate: true },
    { name: 'LastLoginDate', label: 'Last Login', type: 'datetime', createable: false, updateable: false, nillable: true },
    ...USER_PERMISSION_FLAGS,
    ...SYSTEM_FIELDS,
  ],
};

const PROFILE: SObjectDef = {
  name: 'Profile',
  label: 'Profile',
  labelPlural: 'Profiles',
  keyPrefix: KEY_PREFIXES.Profile,
  createable: false,
  updateable: false,
  deletable: false,
  fields: [
    idField('Profile ID'),
    { ...text('Name', 'Name', 255, false), createable: false, updateable: false },
    userType,
    { name: 'Description', label: 'Description', type: 'string', length: 255, createable: false, updateable: false, nillable: true },
    ...SYSTEM_FIELDS,
  ],
};

const PERMISSION_SET: SObjectDef = {
  name: 'PermissionSet',
  label: 'Permission Set',
  labelPlural: 'Permission Sets',
  keyPrefix: KEY_PREFIXES.PermissionSet,
  createable: false,
  updateable: false,
  deletable: false,
  fields: [
    idField('Permission Set ID'),
    { ...text('Name', 'Name', 80, false), createable: false, updateable: false },
    { ...text('Label', 'Label', 80, false), createable: false, updateable: false },
    { name: 'Description', label: 'Description', type: 'string', length: 255, createable: false, updateable: false, nillable: true },
    { name: 'IsOwnedByProfile', label: 'Is Owned By Profile', type: 'boolean', createable: false, updateable: false, nillable: false },
    { name: 'IsCustom', label: 'Custom', type: 'boolean', createable: false, updateable: false, nillable: false },
    {
      name: 'ProfileId',
      label: 'Profile ID',
      type: 'reference',
      referenceTo: ['Profile'],
      createable: false,
      updateable: false,
      nillable: true,
    },
    ...SYSTEM_FIELDS,
  ],
};

const PERMISSION_SET_ASSIGNMENT: SObjectDef = {
  name: 'PermissionSetAssignment',
  label: 'Permission Set Assignment',
  labelPlural: 'Permission Set Assignments',
  keyPrefix: KEY_PREFIXES.PermissionSetAssignment,
  createable: true,
  updateable: false,
  deletable: true,
  fields: [
    idField('Permission Set Assignment ID'),
    reference('AssigneeId', 'Assignee ID', ['User']),
    reference('PermissionSetId', 'Permission Set ID', ['PermissionSet']),
    systemField('IsActive', 'Is Active', 'boolean'),
    SYSTEM_MODSTAMP,
  ],
};

export const GROUP: SObjectDef = {
  name: 'Group',
  label: 'Group',
  labelPlural: 'Groups',
  keyPrefix: KEY_PREFIXES.Group,
  createable: true,
  updateable: true,
  deletable: true,
  fields: [
    idField('Group ID'),
    text('Name', 'Name', 40, false),
    { ...text('DeveloperName', 'Developer Name', 80, false), defaultedOnCreate: true },
    {
      name: 'Type',
      label: 'Type',
      type: 'picklist',
      length: 40,
      picklistValues: GROUP_TYPES,
      createable: true,
      updateable: false,
      nillable: false,
      defaultedOnCreate: true,
    },
    { name: 'Email', label: 'Email', type: 'email', length: 255, createable: true, updateable: true, nillable: true },
    flag('DoesIncludeBosses', 'Include Bosses'),
    flag('DoesSendEmailToMembers', 'Send Email to Members'),
    systemField('OwnerId', 'Owner ID', 'reference', { referenceTo: ['User'] }),
    ...SYSTEM_FIELDS,
  ],
};

export const GROUP_MEMBER: SObjectDef = {
  name: 'GroupMember',
  label: 'Group Member',
  labelPlural: 'Group Members',
  keyPrefix: KEY_PREFIXES.GroupMember,
  createable: true,
  updateable: false,
  deletable: true,
  fields: [
    idField('Group Member ID'),
    reference('GroupId', 'Group ID', ['Group']),
    reference('UserOrGroupId', 'User/Group ID', ['User', 'Group']),
    SYSTEM_MODSTAMP,
  ],
};

export const SOBJECTS: readonly SObjectDef[] = [USER, PROFILE, PERMISSION_SET, PERMISSION_SET_ASSIGNMENT, GROUP, GROUP_MEMBER];

/** sObject names are case-insensitive in URLs and SOQL. */
export function findSObject(name: string): SObjectDef | undefined {
  const lower = name.toLowerCase();
  return SOBJECTS.find((s) => s.name.toLowerCase() === lower);
}

export function findField(sobject: SObjectDef, name: string): FieldDef | undefined {
  const lower = name.toLowerCase();
  return sobject.fields.find((f) => f.name.toLowerCase() === lower);
}

export function sobjectForId(id: string): SObjectDef | undefined {
  const prefix = id.slice(0, 3);
  return SOBJECTS.find((s) => s.keyPrefix === prefix);
}
