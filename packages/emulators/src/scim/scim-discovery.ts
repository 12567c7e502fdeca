// RFC 7644 §4 discovery documents: ServiceProviderConfig, ResourceTypes, Schemas (SCIM 2.0),
// and the SCIM 1.1 ServiceProviderConfigs document. They reflect the live fault toggles.
import type { ScimAuthType } from './scim-auth.js';
import { COMMON_ATTRIBUTES, type ResourceTypeDef } from './scim-core-schemas.js';
import type { JsonObject, JsonValue } from './scim-json.js';
import type { ScimSchemas } from './scim-schema-registry.js';
import type { AttrDef, SchemaDef } from './scim-schema-model.js';
import { V1_CORE } from './scim-v1-translation.js';

export interface Capabilities {
  patch: boolean;
  bulk: boolean;
  maxOperations: number;
  maxPayloadSize: number;
  maxResults: number;
  authType: ScimAuthType;
}

const AUTH_SCHEMES: Record<ScimAuthType, JsonObject[]> = {
  none: [],
  basic: [{ type: 'httpbasic', name: 'HTTP Basic', description: 'Authentication with HTTP Basic', primary: true }],
  bearer: [{ type: 'oauthbearertoken', name: 'OAuth Bearer Token', description: 'Static bearer token', primary: true }],
  apiKey: [{ type: 'apikey', name: 'API Key', description: 'API key in a request header', primary: true }],
  oauth2: [{ type: 'oauth2', name: 'OAuth 2.0', description: 'Client credentials grant at /oauth/token', primary: true }],
};

export function serviceProviderConfigV2(caps: Capabilities, baseUrl: string): JsonObject {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    patch: { supported: caps.patch },
    bulk: { supported: caps.bulk, maxOperations: caps.maxOperations, maxPayloadSize: caps.maxPayloadSize },
    filter: { supported: true, maxResults: caps.maxResults },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    authenticationSchemes: AUTH_SCHEMES[caps.authType],
    meta: { resourceType: 'ServiceProviderConfig', location: `${baseUrl}/ServiceProviderConfig` },
  };
}

export function serviceProviderConfigsV1(caps: Capabilities): JsonObject {
  return {
    schemas: ['urn:scim:schemas:core:1.0'],
    patch: { supported: caps.patch },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: caps.maxResults },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    xmlDataFormat: { supported: false },
    authenticationSchemes: AUTH_SCHEMES[caps.authType],
  };
}

export function resourceTypeDocument(rt: ResourceTypeDef, baseUrl: string): JsonObject {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
    id: rt.kind,
    name: rt.kind,
    endpoint: rt.endpoint,
    description: rt.core.description,
    schema: rt.core.id,
    schemaExtensions: rt.extensions.map((e) => ({ schema: e.id, required: false })),
    meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${rt.kind}` },
  };
}

function attributeDocument(a: AttrDef): JsonObject {
  const doc: Record<string, JsonValue> = {
    name: a.name,
    type: a.type,
    multiValued: a.multiValued,
    description: a.description,
    required: a.required,
    caseExact: a.caseExact,
    mutability: a.mutability,
    returned: a.returned,
    uniqueness: a.uniqueness,
  };
  if (a.subAttributes) doc['subAttributes'] = a.subAttributes.map(attributeDocument);
  if (a.canonicalValues) doc['canonicalValues'] = a.canonicalValues;
  if (a.referenceTypes) doc['referenceTypes'] = a.referenceTypes;
  return doc;
}

export function schemaDocument(schema: SchemaDef, baseUrl: string): JsonObject {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes.map(attributeDocument),
    meta: { resourceType: 'Schema', location: `${baseUrl}/Schemas/${schema.id}` },
  };
}

export function listOf(resources: JsonObject[]): JsonObject {
  return {
    schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
    totalResults: resources.length,
    itemsPerPage: resources.length,
    startIndex: 1,
    Resources: resources,
  };
}

export const allResourceTypeDocuments = (schemas: ScimSchemas, baseUrl: string): JsonObject[] =>
  Object.values(schemas.resourceTypes).map((rt) => resourceTypeDocument(rt, baseUrl));

export const allSchemaDocuments = (schemas: ScimSchemas, baseUrl: string): JsonObject[] =>
  schemas.all.map((s) => schemaDocument(s, baseUrl));

/** SCIM 1.1 has no "reference" type: such attributes are strings there. */
function v1AttributeDocument(a: AttrDef, schema: string): JsonObject {
  const doc: Record<string, JsonValue> = {
    name: a.name,
    type: a.type === 'reference' ? 'string' : a.type,
    multiValued: a.multiValued,
    description: a.description,
    schema,
    readOnly: a.mutability === 'readOnly',
    required: a.required,
    caseExact: a.caseExact,
  };
  if (a.subAttributes) doc['subAttributes'] = a.subAttributes.filter((s) => s.name !== '$ref').map((s) => v1AttributeDocument(s, schema));
  if (a.canonicalValues) doc['canonicalValues'] = a.canonicalValues;
  return doc;
}

/**
 * SCIM 1.1 §4.3 (GET /Schemas/Users): one document per resource, listing the core and the extension
 * attributes together, each tagged with the schema it belongs to (the enterprise manager's id is "managerId").
 */
export function v1SchemaDocument(schemas: ScimSchemas, rt: ResourceTypeDef): JsonObject {
  const attributes = [...COMMON_ATTRIBUTES.filter((a) => a.name !== 'meta'), ...rt.core.attributes].map((a) =>
    v1AttributeDocument(a, V1_CORE),
  );
  for (const ext of rt.extensions) {
    const urn = schemas.v1IdOf(ext.id) ?? ext.id;
    attributes.push(...ext.attributes.map((a) => v1AttributeDocument(a.name === 'manager' ? v1Manager(a) : a, urn)));
  }
  return {
    id: `${V1_CORE}:${rt.kind}`,
    name: rt.kind,
    description: rt.core.description,
    schema: V1_CORE,
    endpoint: rt.endpoint,
    attributes,
  };
}

/** The enterprise manager in 1.1 names: managerId and displayName (no $ref). */
function v1Manager(manager: AttrDef): AttrDef {
  return {
    ...manager,
    subAttributes: (manager.subAttributes ?? [])
      .filter((s) => s.name !== '$ref')
      .map((s) => (s.name === 'value' ? { ...s, name: 'managerId' } : s)),
  };
}
