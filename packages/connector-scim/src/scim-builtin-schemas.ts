import type { ScimDialect } from './scim-dialect.js';
import { complex, simple, type TargetAttribute, type TargetUserSchema } from './scim-target-schema.js';

/**
 * The User schema assumed for a target that publishes none: RFC 7643 §4.1 and §4.3 for SCIM 2.0,
 * the SCIM 1.1 core schema (§6, §8) for 1.1 (WSO2 IS's /wso2/scim has no discovery).
 */
const readOnly = { readOnly: true } as const;
const multi = { multiValued: true } as const;

/** RFC 7643 §2.4: the sub-attributes of the usual multi-valued attributes. */
function multiValued(name: string, valueType: 'string' | 'reference' | 'binary' = 'string'): TargetAttribute {
  return complex(name, [simple('value', valueType), simple('display'), simple('type'), simple('primary', 'boolean')], multi);
}

/** Attributes every resource has but /Schemas does not list (RFC 7643 §3.1). */
export const COMMON_ATTRIBUTES: readonly TargetAttribute[] = [
  simple('id', 'string', readOnly),
  simple('externalId'),
  complex(
    'meta',
    [simple('resourceType'), simple('created', 'dateTime'), simple('lastModified', 'dateTime'), simple('location'), simple('version')],
    readOnly,
  ),
];

function coreAttributes(dialect: ScimDialect): TargetAttribute[] {
  // SCIM 1.1 has no reference type: URLs are strings there.
  const reference = dialect.version === '2.0' ? 'reference' : 'string';
  return [
    ...COMMON_ATTRIBUTES,
    simple('userName'),
    complex(
      'name',
      ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'].map((n) => simple(n)),
    ),
    simple('displayName'),
    simple('nickName'),
    simple('profileUrl', reference),
    simple('title'),
    simple('userType'),
    simple('preferredLanguage'),
    simple('locale'),
    simple('timezone'),
    simple('active', 'boolean'),
    simple('password'),
    multiValued('emails'),
    multiValued('phoneNumbers'),
    multiValued('ims'),
    multiValued('photos', reference),
    complex(
      'addresses',
      [
        ...['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country', 'type'].map((n) => simple(n)),
        simple('primary', 'boolean'),
      ],
      multi,
    ),
    complex('groups', [simple('value'), simple('$ref', 'reference'), simple('display'), simple('type')], { ...multi, ...readOnly }),
    multiValued('entitlements'),
    multiValued('roles'),
    multiValued('x509Certificates', 'binary'),
  ];
}

function enterpriseAttributes(dialect: ScimDialect): TargetAttribute[] {
  const manager =
    dialect.version === '2.0'
      ? [simple('value'), simple('$ref', 'reference'), simple('displayName', 'string', readOnly)]
      : [simple('managerId'), simple('displayName')];
  return [...['employeeNumber', 'costCenter', 'organization', 'division', 'department'].map((n) => simple(n)), complex('manager', manager)];
}

/** `source`: why this schema is the one, for messages; default: the service publishes none. */
export function builtinUserSchema(dialect: ScimDialect, source?: string): TargetUserSchema {
  const none =
    dialect.version === '2.0'
      ? 'RFC 7643 (the service publishes no /Schemas)'
      : 'the SCIM 1.1 core schema (the service publishes no /Schemas/Users)';
  return {
    core: dialect.userSchema,
    attributes: coreAttributes(dialect),
    extensions: [{ id: dialect.enterpriseSchema, attributes: enterpriseAttributes(dialect) }],
    source: source ?? none,
  };
}
