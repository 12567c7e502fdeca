import type { Logger } from '@provisio/core';
import { builtinUserSchema, COMMON_ATTRIBUTES } from './scim-builtin-schemas.js';
import { asObject, type JsonObject, type ScimDialect } from './scim-dialect.js';
import type { ScimSession } from './scim-session.js';
import { flatFieldPath } from './scim-user-fields.js';
import { ScimUserModel } from './scim-user-model.js';
import { findAttribute, isAttributeType, type TargetAttribute, type TargetExtension, type TargetUserSchema } from './scim-target-schema.js';

// Answers of a service that has no schema discovery (or does not let this client read it).
const NO_DISCOVERY = [400, 403, 404, 405, 501];
// Schemas in a 2.0 /Schemas listing that are not User extensions.
const NOT_USER_EXTENSIONS = [
  'urn:ietf:params:scim:schemas:core:2.0:group',
  'urn:ietf:params:scim:schemas:core:2.0:serviceproviderconfig',
  'urn:ietf:params:scim:schemas:core:2.0:resourcetype',
  'urn:ietf:params:scim:schemas:core:2.0:schema',
];

/**
 * The mapping's keys resolved against the target's User schema, read once per connector: SCIM 2.0
 * `GET /Schemas` (RFC 7644 §4), SCIM 1.1 `GET /Schemas/Users` (1.1 protocol §4.3); the RFC's own
 * schema when the service has no discovery. A failed read (5xx, network) is not cached: the next
 * operation asks again. A mapping of flat field names only needs no discovery: those are RFC
 * attributes, sent as they always were.
 */
export class UserModelCache {
  private model: Promise<ScimUserModel> | undefined;
  private readonly flat: ScimUserModel;

  /** `label`: the connector as messages name it. */
  constructor(
    private readonly session: ScimSession,
    private readonly dialect: ScimDialect,
    private readonly root: string,
    private readonly logger: Logger,
    private readonly label: string,
  ) {
    this.flat = new ScimUserModel(dialect, builtinUserSchema(dialect, 'the RFC schema (the mapping uses flat field names only)'), label);
  }

  /** The model for these mapping keys: the target's schema as soon as one of them is an attribute path. */
  forKeys(keys: Iterable<string>): Promise<ScimUserModel> {
    for (const key of keys) if (flatFieldPath(this.dialect, key) === undefined) return this.get();
    return Promise.resolve(this.flat);
  }

  /** The model of the target's own schema. */
  get(): Promise<ScimUserModel> {
    this.model ??= this.read().then(
      (schema) => new ScimUserModel(this.dialect, schema, this.label),
      (error: unknown) => {
        this.model = undefined;
        throw error;
      },
    );
    return this.model;
  }

  /** Fresh read, for check(). */
  refresh(): Promise<ScimUserModel> {
    this.model = undefined;
    return this.get();
  }

  private async read(): Promise<TargetUserSchema> {
    const path = this.dialect.version === '2.0' ? '/Schemas' : '/Schemas/Users';
    const url = this.root + path;
    const response = await this.session.expectOk({ method: 'GET', url, operation: 'read' }, NO_DISCOVERY);
    const builtin = builtinUserSchema(this.dialect);
    if (NO_DISCOVERY.includes(response.status)) {
      this.logger.info(
        { status: response.status },
        `no schema discovery at ${path}; mapping targets are checked against ${builtin.source}`,
      );
      return builtin;
    }
    const parsed = this.dialect.version === '2.0' ? parseV2(response.body, this.dialect) : parseV1(response.body, this.dialect);
    if (parsed) return { ...parsed, source: `the service's ${path}` };
    this.logger.warn(`${path} does not describe the User schema; mapping targets are checked against ${builtin.source}`);
    return builtin;
  }
}

function attributeOf(raw: unknown, readOnlyOf: (a: JsonObject) => boolean): TargetAttribute | undefined {
  const a = asObject(raw);
  if (!a || typeof a['name'] !== 'string' || a['name'] === '') return undefined;
  const subs = Array.isArray(a['subAttributes']) ? a['subAttributes'] : [];
  return {
    name: a['name'],
    // An unknown type is taken as string: the service will judge the value.
    type: isAttributeType(a['type']) ? a['type'] : 'string',
    multiValued: a['multiValued'] === true,
    readOnly: readOnlyOf(a),
    subAttributes: subs.map((s) => attributeOf(s, readOnlyOf)).filter((s): s is TargetAttribute => s !== undefined),
  };
}

const attributesOf = (list: unknown, readOnlyOf: (a: JsonObject) => boolean): TargetAttribute[] =>
  (Array.isArray(list) ? list : []).map((a) => attributeOf(a, readOnlyOf)).filter((a): a is TargetAttribute => a !== undefined);

/** id, externalId and meta are on every resource, listed or not. */
function withCommon(attributes: TargetAttribute[]): TargetAttribute[] {
  return [...COMMON_ATTRIBUTES.filter((c) => !findAttribute(attributes, c.name)), ...attributes];
}

/** A ListResponse of Schema resources (some services answer a bare array). */
function parseV2(body: unknown, dialect: ScimDialect): Omit<TargetUserSchema, 'source'> | undefined {
  const resources = Array.isArray(body) ? body : asObject(body)?.['Resources'];
  if (!Array.isArray(resources)) return undefined;
  const schemas = resources.map(asObject).filter((s): s is JsonObject => s !== undefined && typeof s['id'] === 'string');
  const readOnly = (a: JsonObject) => a['mutability'] === 'readOnly';
  const core = schemas.find((s) => String(s['id']).toLowerCase() === dialect.userSchema.toLowerCase());
  if (!core) return undefined;
  const extensions: TargetExtension[] = schemas
    .filter((s) => s !== core && !NOT_USER_EXTENSIONS.includes(String(s['id']).toLowerCase()) && !/:group$/i.test(String(s['id'])))
    .map((s) => ({ id: String(s['id']), attributes: attributesOf(s['attributes'], readOnly) }));
  return { core: String(core['id']), attributes: withCommon(attributesOf(core['attributes'], readOnly)), extensions };
}

/** SCIM 1.1: one document for the resource, core and extension attributes together, each naming its `schema`. */
function parseV1(body: unknown, dialect: ScimDialect): Omit<TargetUserSchema, 'source'> | undefined {
  const attributes = asObject(body)?.['attributes'];
  if (!Array.isArray(attributes)) return undefined;
  const readOnly = (a: JsonObject) => a['readOnly'] === true;
  const bySchema = new Map<string, unknown[]>();
  for (const raw of attributes) {
    const schema = asObject(raw)?.['schema'];
    const key = typeof schema === 'string' && schema.toLowerCase() !== dialect.userSchema.toLowerCase() ? schema : dialect.userSchema;
    bySchema.set(key, [...(bySchema.get(key) ?? []), raw]);
  }
  const extensions = [...bySchema]
    .filter(([id]) => id !== dialect.userSchema)
    .map(([id, list]) => ({ id, attributes: attributesOf(list, readOnly) }));
  return { core: dialect.userSchema, attributes: withCommon(attributesOf(bySchema.get(dialect.userSchema), readOnly)), extensions };
}
