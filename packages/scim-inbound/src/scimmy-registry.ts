import SCIMMY from 'scimmy';
import { SCIM_ENTERPRISE_USER_SCHEMA, SCIM_GROUP_SCHEMA, SCIM_USER_SCHEMA } from '@provisio/core';
import type { ScimSchemas } from './scim-schemas.js';

/**
 * THE one place that touches scimmy's process-wide singletons (`SCIMMY.Config`,
 * `SCIMMY.Resources`). scimmy keeps them per process, Provisio builds one router
 * per server: everything here is computed once from fixed settings and is the same
 * for every router, so two routers in a process (tests) cannot disagree.
 * scimmy supplies the schema definitions (User, Group, EnterpriseUser) and the
 * discovery documents; our fast validator reads its attribute definitions.
 */

export interface AttributeDefinition {
  name: string;
  type: 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'binary' | 'complex';
  multiValued: boolean;
  required: boolean;
  caseExact: boolean;
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned: 'always' | 'never' | 'default' | 'request';
  /** A manifest-declared complex attribute (not lenient): an unknown sub-attribute is refused, not ignored. */
  strict?: boolean;
  /** Only manifest-declared extension attributes carry these. */
  uniqueness?: 'server' | 'global';
  canonicalValues?: string[];
  description?: string;
  referenceTypes?: string[];
  subAttributes?: AttributeDefinition[];
}

export interface SchemaDefinition {
  id: string;
  attributes: AttributeDefinition[];
}

export interface DiscoverySettings {
  maxResults: number;
  bulkMaxOperations: number;
  bulkMaxPayloadSize: number;
  /** The server's extension schemas, served beside scimmy's (never declared to scimmy: its registry is per process). */
  schemas: ScimSchemas;
}

let declared = false;

function declareOnce(): void {
  if (declared) return;
  SCIMMY.Resources.declare(SCIMMY.Resources.User).extend(SCIMMY.Schemas.EnterpriseUser, false);
  SCIMMY.Resources.declare(SCIMMY.Resources.Group);
  declared = true;
}

interface Described {
  name: string;
  type: string;
  multiValued: boolean;
  required: boolean;
  caseExact?: boolean;
  mutability: string;
  returned: string;
  subAttributes?: Described[];
}

function toDefinition(a: Described): AttributeDefinition {
  return {
    name: a.name,
    type: a.type as AttributeDefinition['type'],
    multiValued: a.multiValued,
    required: a.required,
    caseExact: a.caseExact === true,
    mutability: a.mutability as AttributeDefinition['mutability'],
    returned: a.returned as AttributeDefinition['returned'],
    ...(a.subAttributes ? { subAttributes: a.subAttributes.map(toDefinition) } : {}),
  };
}

type SchemaDocument = Record<string, unknown> & { id: string; attributes: Described[] };

function schemaDocuments(): SchemaDocument[] {
  declareOnce();
  return [SCIMMY.Schemas.User, SCIMMY.Schemas.EnterpriseUser, SCIMMY.Schemas.Group].map(
    (s) => JSON.parse(JSON.stringify(s.definition.describe('/Schemas'))) as SchemaDocument,
  );
}

/** Attribute definitions of User, EnterpriseUser and Group, as scimmy declares them (id, meta, schemas included). */
export function schemaDefinitions(): Record<'user' | 'enterprise' | 'group', SchemaDefinition> {
  const docs = schemaDocuments();
  const find = (id: string): SchemaDefinition => {
    const doc = docs.find((d) => d.id === id);
    if (!doc) throw new Error(`scimmy has no schema ${id}`);
    return { id, attributes: doc.attributes.map(toDefinition) };
  };
  return { user: find(SCIM_USER_SCHEMA), enterprise: find(SCIM_ENTERPRISE_USER_SCHEMA), group: find(SCIM_GROUP_SCHEMA) };
}

/** An attribute as RFC 7643 §7 describes it (every characteristic spelled out, as scimmy's are). */
function describeAttribute(a: AttributeDefinition): Record<string, unknown> {
  return {
    name: a.name,
    type: a.type,
    multiValued: a.multiValued,
    description: a.description ?? '',
    required: a.required,
    ...(a.canonicalValues ? { canonicalValues: a.canonicalValues } : {}),
    caseExact: a.caseExact,
    mutability: a.mutability,
    returned: a.returned,
    uniqueness: a.uniqueness ?? 'none',
    ...(a.referenceTypes ? { referenceTypes: a.referenceTypes } : {}),
    ...(a.subAttributes ? { subAttributes: a.subAttributes.map(describeAttribute) } : {}),
  };
}

/** The discovery documents (RFC 7644 §4), `location`s relative to `base` (…/scim/v2). */
export async function discoveryDocuments(base: string, settings: DiscoverySettings) {
  declareOnce();
  SCIMMY.Config.set({
    documentationUri: undefined,
    patch: true,
    filter: { supported: true, maxResults: settings.maxResults },
    bulk: { supported: true, maxOperations: settings.bulkMaxOperations, maxPayloadSize: settings.bulkMaxPayloadSize },
    sort: true,
    etag: true,
    changePassword: true,
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'OAuth Bearer Token',
        description: 'Authentication with a bearer token configured in the Provisio manifest',
      },
      {
        type: 'httpbasic',
        name: 'HTTP Basic',
        description: 'Authentication with a username and password configured in the Provisio manifest',
      },
    ],
  });
  const serviceProviderConfig = (await new SCIMMY.Resources.ServiceProviderConfig().read()) as unknown as Record<string, unknown>;
  const kinds = [
    ['User', SCIMMY.Resources.User.describe()],
    ['Group', SCIMMY.Resources.Group.describe()],
  ] as const;
  const resourceTypes = kinds.map(([kind, rt]) => ({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
    ...rt,
    schemaExtensions: [
      ...((rt as { schemaExtensions?: unknown[] }).schemaExtensions ?? []),
      ...settings.schemas.extensionsOf(kind).map((e) => ({ schema: e.id, required: e.required })),
    ],
    meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/${rt.id}` },
  }));
  const extensionDocuments = [...settings.schemas.extensionsOf('User'), ...settings.schemas.extensionsOf('Group')].map((e) => ({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
    id: e.id,
    name: e.name,
    description: e.description,
    attributes: e.attributes.map(describeAttribute),
  }));
  const schemas = [...schemaDocuments(), ...extensionDocuments].map((doc) => ({
    ...doc,
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${doc.id}` },
  }));
  return {
    serviceProviderConfig: {
      ...serviceProviderConfig,
      meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
    },
    resourceTypes,
    schemas,
  };
}
