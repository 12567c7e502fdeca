// RFC 7643 §4 User, Group and enterprise extension schemas, as this emulator enforces them.
import { attr, complex, multiValuedComplex, type AttrDef, type SchemaDef } from './scim-schema-model.js';

const USER_SCHEMA_ID = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA_ID = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_SCHEMA_ID = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

export type ResourceKind = 'User' | 'Group';

const readOnly = { mutability: 'readOnly' } as const;

const USER_SCHEMA: SchemaDef = {
  id: USER_SCHEMA_ID,
  name: 'User',
  description: 'User Account',
  attributes: [
    attr('userName', 'string', { required: true, uniqueness: 'server' }),
    complex('name', [
      attr('formatted', 'string'),
      attr('familyName', 'string'),
      attr('givenName', 'string'),
      attr('middleName', 'string'),
      attr('honorificPrefix', 'string'),
      attr('honorificSuffix', 'string'),
    ]),
    attr('displayName', 'string'),
    attr('nickName', 'string'),
    attr('profileUrl', 'reference', { referenceTypes: ['external'] }),
    attr('title', 'string'),
    attr('userType', 'string'),
    attr('preferredLanguage', 'string'),
    attr('locale', 'string'),
    attr('timezone', 'string'),
    attr('active', 'boolean'),
    attr('password', 'string', { mutability: 'writeOnly', returned: 'never', caseExact: true }),
    multiValuedComplex('emails'),
    multiValuedComplex('phoneNumbers'),
    multiValuedComplex('ims'),
    multiValuedComplex('photos'),
    complex(
      'addresses',
      [
        attr('formatted', 'string'),
        attr('streetAddress', 'string'),
        attr('locality', 'string'),
        attr('region', 'string'),
        attr('postalCode', 'string'),
        attr('country', 'string'),
        attr('type', 'string'),
        attr('primary', 'boolean'),
      ],
      { multiValued: true },
    ),
    complex(
      'groups',
      [
        attr('value', 'string', { ...readOnly, caseExact: true }),
        attr('$ref', 'reference', { ...readOnly, referenceTypes: ['User', 'Group'] }),
        attr('display', 'string', readOnly),
        attr('type', 'string', readOnly),
      ],
      { multiValued: true, ...readOnly },
    ),
    multiValuedComplex('entitlements'),
    multiValuedComplex('roles'),
    multiValuedComplex('x509Certificates'),
  ],
};

const ENTERPRISE_USER_SCHEMA: SchemaDef = {
  id: ENTERPRISE_SCHEMA_ID,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    attr('employeeNumber', 'string'),
    attr('costCenter', 'string'),
    attr('organization', 'string'),
    attr('division', 'string'),
    attr('department', 'string'),
    complex('manager', [
      attr('value', 'string'),
      attr('$ref', 'reference', { referenceTypes: ['User'] }),
      attr('displayName', 'string', readOnly),
    ]),
  ],
};

const GROUP_SCHEMA: SchemaDef = {
  id: GROUP_SCHEMA_ID,
  name: 'Group',
  description: 'Group',
  attributes: [
    attr('displayName', 'string', { required: true, uniqueness: 'server' }),
    complex(
      'members',
      [
        attr('value', 'string', { mutability: 'immutable', caseExact: true }),
        attr('$ref', 'reference', { mutability: 'immutable', referenceTypes: ['User', 'Group'] }),
        attr('display', 'string', readOnly),
        attr('type', 'string', { mutability: 'immutable', canonicalValues: ['User', 'Group'] }),
      ],
      { multiValued: true },
    ),
  ],
};

/** Attributes every resource carries (RFC 7643 §3.1); not published in /Schemas. */
export const COMMON_ATTRIBUTES: AttrDef[] = [
  attr('id', 'string', { mutability: 'readOnly', returned: 'always', caseExact: true, uniqueness: 'server' }),
  attr('externalId', 'string', { caseExact: true }),
  complex(
    'meta',
    [
      attr('resourceType', 'string', readOnly),
      attr('created', 'dateTime', readOnly),
      attr('lastModified', 'dateTime', readOnly),
      attr('location', 'reference', readOnly),
      attr('version', 'string', { ...readOnly, caseExact: true }),
    ],
    readOnly,
  ),
];

export interface ResourceTypeDef {
  kind: ResourceKind;
  endpoint: string;
  core: SchemaDef;
  extensions: SchemaDef[];
}

export const RESOURCE_TYPES: Record<ResourceKind, ResourceTypeDef> = {
  User: { kind: 'User', endpoint: '/Users', core: USER_SCHEMA, extensions: [ENTERPRISE_USER_SCHEMA] },
  Group: { kind: 'Group', endpoint: '/Groups', core: GROUP_SCHEMA, extensions: [] },
};

export const ALL_SCHEMAS: SchemaDef[] = [USER_SCHEMA, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA];
