import { schemaDefinitions, type AttributeDefinition } from './scimmy-registry.js';
import { SCIM11_CORE, SCIM11_ENTERPRISE } from './scim11-translation.js';
import { CORE_SCHEMAS, type ScimSchemas } from './scim-schemas.js';

/**
 * SCIM 1.1 discovery (draft-scim-core-schema-01 §5 and §7, draft-scim-api-01 §4):
 * `/ServiceProviderConfigs` and `/Schemas`, in the 1.1 shapes (`{ supported }`
 * objects, `readOnly` instead of `mutability`, one `schema` URN per attribute,
 * `multiValuedAttributeChildName`). Built from the same attribute definitions the
 * 2.0 endpoints serve, so both versions describe the same resources.
 */

interface Scim11DiscoverySettings {
  maxResults: number;
}

/** The 1.1 ServiceProviderConfigs document: what the /v1 routes do (no Bulk there, no XML). */
export function scim11ServiceProviderConfig(settings: Scim11DiscoverySettings): Record<string, unknown> {
  return {
    schemas: [SCIM11_CORE],
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: settings.maxResults },
    changePassword: { supported: true },
    sort: { supported: true },
    etag: { supported: true },
    xmlDataFormat: { supported: false },
    authenticationSchemes: [
      { name: 'OAuth Bearer Token', description: 'Authentication with a bearer token configured in the Provisio manifest' },
      { name: 'HTTP Basic', description: 'Authentication with a username and password configured in the Provisio manifest' },
    ],
  };
}

/** A 1.1 schema document: its id, the resource it describes and the endpoint that serves it. */
interface Scim11Schema {
  id: string;
  name: string;
  description: string;
  schema: string;
  endpoint: string;
  attributes: Record<string, unknown>[];
}

// 1.1 names the element of a multi-valued attribute (draft-scim-core-schema-01 §3.2).
const CHILD_NAMES: Record<string, string> = {
  emails: 'email',
  phoneNumbers: 'phoneNumber',
  ims: 'im',
  photos: 'photo',
  addresses: 'address',
  groups: 'group',
  entitlements: 'entitlement',
  roles: 'role',
  x509Certificates: 'x509Certificate',
  members: 'member',
};

// 2.0's `reference` has no 1.1 type: a reference is a string there.
const TYPES: Record<AttributeDefinition['type'], string> = {
  string: 'string',
  boolean: 'boolean',
  decimal: 'decimal',
  integer: 'integer',
  dateTime: 'dateTime',
  reference: 'string',
  binary: 'binary',
  complex: 'complex',
};

function attribute11(def: AttributeDefinition, schema: string, description: string): Record<string, unknown> {
  return {
    name: def.name,
    type: TYPES[def.type],
    multiValued: def.multiValued,
    ...(def.multiValued ? { multiValuedAttributeChildName: CHILD_NAMES[def.name] ?? def.name } : {}),
    description,
    schema,
    readOnly: def.mutability === 'readOnly',
    required: def.required,
    caseExact: def.caseExact,
    ...(def.subAttributes ? { subAttributes: def.subAttributes.map((sub) => attribute11(sub, schema, sub.name)) } : {}),
  };
}

const common = (
  name: string,
  mutability: AttributeDefinition['mutability'],
  extra: Partial<AttributeDefinition> = {},
): AttributeDefinition => ({
  name,
  type: 'string',
  multiValued: false,
  required: false,
  caseExact: true,
  mutability,
  returned: 'default',
  ...extra,
});

// draft-scim-core-schema-01 §5: the attributes every core resource has.
const COMMON: AttributeDefinition[] = [
  common('id', 'readOnly', { required: true }),
  common('externalId', 'readWrite'),
  common('meta', 'readOnly', {
    type: 'complex',
    subAttributes: [
      common('created', 'readOnly', { type: 'dateTime' }),
      common('lastModified', 'readOnly', { type: 'dateTime' }),
      common('location', 'readOnly'),
      common('version', 'readOnly'),
      common('attributes', 'readWrite', { multiValued: true, caseExact: false }),
    ],
  }),
];

/** The User, enterprise User and Group schemas of SCIM 1.1, then the server's extensions (the same URNs as in 2.0). */
export function scim11Schemas(schemas: ScimSchemas = CORE_SCHEMAS): Scim11Schema[] {
  const defs = schemaDefinitions();
  // `schemas` is a property of every 1.1 representation, not an attribute of its schema.
  const attributes = (list: AttributeDefinition[], schema: string) =>
    list.filter((a) => a.name !== 'schemas').map((a) => attribute11(a, schema, a.name));
  const withCommon = (list: AttributeDefinition[]) => [...COMMON.filter((c) => !list.some((a) => a.name === c.name)), ...list];
  // A core resource's schema carries the 1.1 core URN and the attributes every core resource has.
  const core = (kind: 'User' | 'Group', list: AttributeDefinition[]): Scim11Schema => ({
    id: `${SCIM11_CORE}:${kind}`,
    name: kind,
    description: `Core ${kind}`,
    schema: SCIM11_CORE,
    endpoint: `/${kind}s`,
    attributes: attributes(withCommon(list), SCIM11_CORE),
  });
  return [
    core('User', defs.user.attributes),
    {
      id: SCIM11_ENTERPRISE,
      name: 'EnterpriseUser',
      description: 'Enterprise User extension',
      schema: SCIM11_ENTERPRISE,
      endpoint: '/Users',
      attributes: attributes(defs.enterprise.attributes, SCIM11_ENTERPRISE),
    },
    core('Group', defs.group.attributes),
    ...(['User', 'Group'] as const).flatMap((kind) =>
      schemas.extensionsOf(kind).map((e) => ({
        id: e.id,
        name: e.name,
        description: e.description,
        schema: e.id,
        endpoint: `/${kind}s`,
        attributes: attributes(e.attributes, e.id),
      })),
    ),
  ];
}

/** `/Schemas/Users`, `/Schemas/Groups` (the endpoint, as 1.1 clients ask: its core schema) or a schema's id. */
export function findScim11Schema(key: string, schemas: ScimSchemas = CORE_SCHEMAS): Scim11Schema | undefined {
  const lower = key.toLowerCase();
  const all = scim11Schemas(schemas);
  return all.find((s) => s.id.toLowerCase() === lower) ?? all.find((s) => s.endpoint.slice(1).toLowerCase() === lower);
}
