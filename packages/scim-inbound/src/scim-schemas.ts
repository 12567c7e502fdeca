import { PROVISIO_WSO2_EXTENSION_SCHEMA, SCIM_ENTERPRISE_USER_SCHEMA } from '@provisio/core';
import { type ScimAttributeInput as ScimAttributeConfig, type ScimExtensionConfig, type ScimSchemasConfig } from '@provisio/core/engine';
import { schemaDefinitions, type AttributeDefinition } from './scimmy-registry.js';

/**
 * The schemas ONE SCIM server serves: the core User and Group, the enterprise User
 * (from scimmy, the same for every server) and the manifest's extension schemas
 * (`inbound.scim.schemas`). Built per router, never module state, so two servers in
 * one process keep their own extensions.
 */
export type ResourceKind = 'User' | 'Group';

export interface Table {
  byName: Map<string, AttributeDefinition>;
}

export interface ExtensionSchema {
  id: string;
  name: string;
  description: string;
  attachTo: ResourceKind;
  required: boolean;
  attributes: AttributeDefinition[];
  table: Table;
  /** Built-in schemas of other products: attributes they add in later versions are kept as sent. */
  open: boolean;
}

export const tableOf = (attributes: readonly AttributeDefinition[]): Table => ({
  byName: new Map(attributes.map((a) => [a.name.toLowerCase(), a])),
});

const core = schemaDefinitions();
const USER = tableOf(core.user.attributes);
const ENTERPRISE = tableOf(core.enterprise.attributes);
const GROUP = tableOf(core.group.attributes);
const ENTERPRISE_KEY = SCIM_ENTERPRISE_USER_SCHEMA.toLowerCase();
// Entra ID's custom extensions: urn:ietf:params:scim:schemas:extension:<name>:2.0:User (its docs' example: CustomExtensionName).
const ENTRA_EXTENSION = /^urn:ietf:params:scim:schemas:extension:[^:]+:2\.0:(User|Group)$/i;

function definition(a: ScimAttributeConfig, strict: boolean): AttributeDefinition {
  return {
    ...(strict && a.type === 'complex' ? { strict } : {}),
    name: a.name,
    type: a.type,
    multiValued: a.multiValued,
    required: a.required,
    caseExact: a.caseExact,
    mutability: a.mutability,
    returned: a.returned,
    ...(a.uniqueness !== 'none' ? { uniqueness: a.uniqueness } : {}),
    ...(a.canonicalValues ? { canonicalValues: a.canonicalValues } : {}),
    ...(a.description !== undefined ? { description: a.description } : {}),
    ...(a.referenceTypes ? { referenceTypes: a.referenceTypes } : {}),
    ...(a.subAttributes ? { subAttributes: a.subAttributes.map((sub) => definition(sub, strict)) } : {}),
  };
}

const text = (name: string, extra: Partial<AttributeDefinition> = {}): AttributeDefinition => ({
  name,
  type: 'string',
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  ...extra,
});
const flag = (name: string): AttributeDefinition => text(name, { type: 'boolean' });

/** WSO2 Identity Server's SCIM 2.0 user extension (its scim2-schema-extension.config, the attributes IS 5.x–7.x ship). */
const WSO2_IS_EXTENSION: Omit<ExtensionSchema, 'table'> = {
  id: 'urn:scim:wso2:schema',
  name: 'WSO2',
  description: 'WSO2 Identity Server user extension',
  attachTo: 'User',
  required: false,
  open: true,
  attributes: [
    flag('accountLocked'),
    flag('accountDisabled'),
    text('accountState'),
    flag('askPassword'),
    text('country'),
    text('dateOfBirth'),
    text('department'),
    text('organization'),
    text('gender'),
    flag('emailVerified'),
    flag('phoneVerified'),
    flag('verifyEmail'),
    flag('verifyMobile'),
    flag('forcePasswordReset'),
    flag('oneTimePassword'),
    text('failedLoginAttempts'),
    text('lastLoginTime'),
    text('lastPasswordUpdateTime'),
    text('lockedReason'),
    text('preferredChannel'),
    text('userSourceId'),
    text('userAccountType'),
    text('photoUrl'),
    text('emailAddresses', { multiValued: true }),
    text('mobileNumbers', { multiValued: true }),
    text('verifiedEmailAddresses', { multiValued: true }),
    text('verifiedMobileNumbers', { multiValued: true }),
    text('pendingEmails', { type: 'complex', multiValued: true, subAttributes: [text('value')] }),
  ],
};

/** Provisio's home of the WSO2 claims with no SCIM attribute (core/src/mapping/wso2-claims.ts). */
const PROVISIO_WSO2_EXTENSION: Omit<ExtensionSchema, 'table'> = {
  id: PROVISIO_WSO2_EXTENSION_SCHEMA,
  name: 'WSO2Claims',
  description: 'WSO2 local claims without a SCIM 2.0 attribute',
  attachTo: 'User',
  required: false,
  open: true,
  attributes: ['dob', 'gender', 'primaryChallengeQuestion', 'challengeQuestion1', 'challengeQuestion2'].map((name) => text(name)),
};

const EMPTY_CONFIG: ScimSchemasConfig = { builtIn: [], lenient: false, extensions: [] };

export class ScimSchemas {
  private readonly extensions = new Map<string, ExtensionSchema>();
  readonly lenient: boolean;
  private readonly entra: boolean;

  constructor(config: ScimSchemasConfig = EMPTY_CONFIG) {
    this.lenient = config.lenient;
    this.entra = config.builtIn.includes('entra');
    const declared: Array<Omit<ExtensionSchema, 'table'>> = [
      ...(config.builtIn.includes('wso2') ? [WSO2_IS_EXTENSION, PROVISIO_WSO2_EXTENSION] : []),
      ...config.extensions.map((e: ScimExtensionConfig) => ({
        id: e.id,
        name: e.name ?? e.id.split(':').at(-2) ?? e.id,
        description: e.description ?? '',
        attachTo: e.attachTo,
        required: e.required,
        open: false,
        attributes: e.attributes.map((a) => definition(a, !config.lenient)),
      })),
    ];
    for (const extension of declared)
      this.extensions.set(extension.id.toLowerCase(), { ...extension, table: tableOf(extension.attributes) });
  }

  coreTable(kind: ResourceKind): Table {
    return kind === 'User' ? USER : GROUP;
  }

  /** The extensions of a resource kind, enterprise excluded (scimmy's). */
  extensionsOf(kind: ResourceKind): ExtensionSchema[] {
    return [...this.extensions.values()].filter((e) => e.attachTo === kind);
  }

  extension(kind: ResourceKind, urn: string): ExtensionSchema | undefined {
    const found = this.extensions.get(urn.toLowerCase());
    return found?.attachTo === kind ? found : undefined;
  }

  isEnterprise(kind: ResourceKind, urn: string): boolean {
    return kind === 'User' && urn.toLowerCase() === ENTERPRISE_KEY;
  }

  /** An undeclared extension kept as sent: lenient, or Entra's custom-extension shape with `builtIn: [entra]`. */
  keepsOpaque(kind: ResourceKind, urn: string): boolean {
    if (this.lenient) return true;
    const match = this.entra ? ENTRA_EXTENSION.exec(urn) : null;
    return match !== null && match[1].toLowerCase() === kind.toLowerCase() && urn.toLowerCase() !== ENTERPRISE_KEY;
  }

  /** The resource without extension attributes that are never returned (`returned: never`, `mutability: writeOnly`). */
  withoutUnreturned<T extends Record<string, unknown>>(kind: ResourceKind, resource: T): T {
    let out = resource;
    for (const extension of this.extensionsOf(kind)) {
      const value = resource[extension.id];
      const hidden = extension.attributes.filter((a) => a.returned === 'never' || a.mutability === 'writeOnly');
      if (hidden.length === 0 || typeof value !== 'object' || value === null) continue;
      const kept = { ...(value as Record<string, unknown>) };
      for (const attribute of hidden) delete kept[attribute.name];
      out = { ...out, [extension.id]: kept };
    }
    return out;
  }

  /** A core attribute (no schema or the core URN), an enterprise one, or one of a declared extension. */
  definitionOf(kind: ResourceKind, schema: string | undefined, attribute: string): AttributeDefinition | undefined {
    const name = attribute.toLowerCase();
    if (schema === undefined || /:core:2\.0:/i.test(schema)) return this.coreTable(kind).byName.get(name);
    if (this.isEnterprise(kind, schema)) return ENTERPRISE.byName.get(name);
    return this.extension(kind, schema)?.table.byName.get(name);
  }
}

/** A server without extension schemas (tests, and SCIM 1.1 translation of core attributes). */
export const CORE_SCHEMAS = new ScimSchemas();

/** The enterprise extension's table (scimmy's definitions). */
export const ENTERPRISE_TABLE = ENTERPRISE;
