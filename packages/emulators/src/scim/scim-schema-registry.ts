// The schemas one emulator serves: RFC 7643's User, Group and enterprise extension, plus the
// User extensions its options declare (an HR system's costCenter, an IdP's custom attributes).
import { ALL_SCHEMAS, ENTERPRISE_SCHEMA_ID, RESOURCE_TYPES, type ResourceKind, type ResourceTypeDef } from './scim-core-schemas.js';
import { attr, type AttrDef, type AttrType, type SchemaDef } from './scim-schema-model.js';
import { V1_ENTERPRISE } from './scim-v1-translation.js';

/** One attribute of a declared extension, in RFC 7643 §7 terms; omitted characteristics take the RFC defaults. */
export interface ScimExtensionAttribute {
  name: string;
  type: 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'complex' | 'binary';
  multiValued?: boolean;
  required?: boolean;
  caseExact?: boolean;
  mutability?: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned?: 'always' | 'never' | 'default' | 'request';
  uniqueness?: 'none' | 'server' | 'global';
  canonicalValues?: string[];
  description?: string;
  subAttributes?: ScimExtensionAttribute[];
}

/** A User schema extension the emulated service declares in /Schemas and /ResourceTypes. */
export interface ScimUserExtension {
  /** The SCIM 2.0 URN, e.g. urn:ietf:params:scim:schemas:extension:acme:2.0:User. */
  id: string;
  /** Its URN on the SCIM 1.1 endpoint (e.g. urn:scim:schemas:extension:acme:1.0); default: the same id. */
  v1Id?: string;
  name?: string;
  description?: string;
  attributes: ScimExtensionAttribute[];
}

const ATTR_TYPES: readonly AttrType[] = ['string', 'boolean', 'decimal', 'integer', 'dateTime', 'reference', 'complex', 'binary'];
// RFC 7643 §2.1: ATTRNAME = ALPHA *(nameChar), nameChar = "-" / "_" / DIGIT / ALPHA ("$ref" is the one exception).
const ATTR_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

function attributeOf(input: ScimExtensionAttribute, where: string, nested: boolean): AttrDef {
  const at = `${where}.${input.name}`;
  if (!ATTR_NAME.test(input.name)) throw new Error(`${at}: "${input.name}" is not a valid attribute name (RFC 7643 §2.1)`);
  if (!ATTR_TYPES.includes(input.type)) throw new Error(`${at}: type must be one of ${ATTR_TYPES.join(', ')}`);
  if (input.type === 'complex' && (nested || !input.subAttributes?.length)) {
    throw new Error(`${at}: a complex attribute needs subAttributes and cannot be a sub-attribute (RFC 7643 §2.3.8)`);
  }
  if (input.type !== 'complex' && input.subAttributes !== undefined) throw new Error(`${at}: only complex attributes have subAttributes`);
  const { subAttributes, ...characteristics } = input;
  return attr(input.name, input.type, {
    ...characteristics,
    ...(subAttributes ? { subAttributes: subAttributes.map((s) => attributeOf(s, at, true)) } : {}),
  });
}

function extensionSchema(input: ScimUserExtension, taken: Set<string>): SchemaDef {
  if (!/^urn:[a-z0-9][a-z0-9-]*:\S+$/i.test(input.id)) throw new Error(`userExtensions: "${input.id}" is not a URN`);
  for (const id of [input.id, input.v1Id].filter((x): x is string => x !== undefined)) {
    if (taken.has(id.toLowerCase())) throw new Error(`userExtensions: "${id}" is already a schema of this service`);
    taken.add(id.toLowerCase());
  }
  return {
    id: input.id,
    name: input.name ?? input.id.split(':').slice(-2).join(''),
    description: input.description ?? `Extension ${input.id}`,
    attributes: input.attributes.map((a) => attributeOf(a, input.id, false)),
  };
}

export class ScimSchemas {
  readonly resourceTypes: Readonly<Record<ResourceKind, ResourceTypeDef>>;
  readonly all: readonly SchemaDef[];
  /** Lower-cased SCIM 1.1 extension URN → the SCIM 2.0 id the store keys it by, and back. */
  private readonly v2ByV1 = new Map<string, string>([[V1_ENTERPRISE, ENTERPRISE_SCHEMA_ID]]);
  private readonly v1ByV2 = new Map<string, string>([[ENTERPRISE_SCHEMA_ID, V1_ENTERPRISE]]);

  constructor(userExtensions: readonly ScimUserExtension[] = []) {
    const taken = new Set([...ALL_SCHEMAS.map((s) => s.id.toLowerCase()), V1_ENTERPRISE]);
    const extensions = userExtensions.map((e) => extensionSchema(e, taken));
    for (const [i, input] of userExtensions.entries()) {
      const v1 = input.v1Id ?? input.id;
      this.v2ByV1.set(v1.toLowerCase(), extensions[i].id);
      this.v1ByV2.set(extensions[i].id, v1);
    }
    const user = RESOURCE_TYPES.User;
    this.resourceTypes = { User: { ...user, extensions: [...user.extensions, ...extensions] }, Group: RESOURCE_TYPES.Group };
    this.all = [...ALL_SCHEMAS, ...extensions];
  }

  resourceType(kind: ResourceKind): ResourceTypeDef {
    return this.resourceTypes[kind];
  }

  /** The SCIM 2.0 id of an extension named by its SCIM 1.1 URN (any case), when it is one. */
  v2IdOf(v1Urn: string): string | undefined {
    return this.v2ByV1.get(v1Urn.toLowerCase());
  }

  /** The SCIM 1.1 URN of an extension the store keys by its SCIM 2.0 id. */
  v1IdOf(v2Id: string): string | undefined {
    return this.v1ByV2.get(v2Id);
  }
}
