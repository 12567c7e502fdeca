import type { ScimSchemasConfig } from '../manifest/manifest-schema.js';
import { SCIM_ENTERPRISE_USER_SCHEMA, SCIM_GROUP_SCHEMA, SCIM_USER_SCHEMA } from '../model/identity.js';
import type { FilterNode, PatchPath } from '../scim-filter/index.js';
import { nearestNames } from './nearest-names.js';
import { PROVISIO_WSO2_EXTENSION_SCHEMA } from './wso2-claims.js';

/**
 * The attributes a mapping may read, for `provisio validate`: RFC 7643's User (or Group), the
 * enterprise User, and the extensions `inbound.scim.schemas` declares. A misspelt path is an
 * error naming the nearest attribute, instead of a field that is silently never sent.
 */
export interface AttributeCatalog {
  /** Undefined when the identities can carry `path`; else why not. */
  check(path: PatchPath): string | undefined;
}

export type ResourceKind = 'User' | 'Group';

interface Attribute {
  name: string;
  /** Sub-attribute names of a complex attribute. */
  subs?: readonly string[];
  /** A multi-valued simple attribute: its values may be read as `.value` (as SCIM 1.1 sends them). */
  multiValued?: boolean;
}

/** A schema's attributes by lower-case name; `open`: any name is accepted (built-ins of other products, lenient). */
interface Table {
  open: boolean;
  byName: Map<string, Attribute>;
}

const MULTI = ['value', 'display', 'type', 'primary'];
const META = ['resourceType', 'created', 'lastModified', 'location', 'version'];

const table = (attributes: readonly Attribute[], open = false): Table => ({
  open,
  byName: new Map(attributes.map((a) => [a.name.toLowerCase(), a])),
});
const simple = (...names: string[]): Attribute[] => names.map((name) => ({ name }));

const COMMON: Attribute[] = [...simple('id', 'externalId', 'schemas'), { name: 'meta', subs: META }];

const USER = table([
  ...COMMON,
  ...simple('userName', 'displayName', 'nickName', 'profileUrl', 'title', 'userType', 'preferredLanguage', 'locale', 'timezone', 'active'),
  { name: 'name', subs: ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'] },
  ...['emails', 'phoneNumbers', 'ims', 'photos', 'entitlements', 'roles', 'x509Certificates'].map((name) => ({ name, subs: MULTI })),
  { name: 'addresses', subs: ['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country', 'type', 'primary'] },
  { name: 'groups', subs: ['value', '$ref', 'display', 'type'] },
]);

const ENTERPRISE = table([
  ...simple('employeeNumber', 'costCenter', 'organization', 'division', 'department'),
  { name: 'manager', subs: ['value', '$ref', 'displayName'] },
]);

const GROUP = table([...COMMON, ...simple('displayName'), { name: 'members', subs: ['value', '$ref', 'display', 'type'] }]);

const OPEN = table([], true);
const WSO2_IS_SCHEMA = 'urn:scim:wso2:schema';
// Entra ID's custom extensions: urn:ietf:params:scim:schemas:extension:<name>:2.0:User (or Group).
const ENTRA_EXTENSION = /^urn:ietf:params:scim:schemas:extension:[^:]+:2\.0:(User|Group)$/i;

type ExtensionAttribute = ScimSchemasConfig['extensions'][number]['attributes'][number];

function declared(attribute: ExtensionAttribute): Attribute {
  return {
    name: attribute.name,
    ...(attribute.subAttributes ? { subs: attribute.subAttributes.map((sub) => sub.name) } : {}),
    ...(attribute.multiValued ? { multiValued: true } : {}),
  };
}

const NO_SCHEMAS: ScimSchemasConfig = { builtIn: [], lenient: false, extensions: [] };

/** The catalog of one resource kind under a manifest's `inbound.scim.schemas`. */
export function attributeCatalog(kind: ResourceKind, schemas: ScimSchemasConfig = NO_SCHEMAS): AttributeCatalog {
  const core = kind === 'User' ? USER : GROUP;
  const tables = new Map<string, Table>();
  const urns: string[] = [];
  const add = (urn: string, schema: Table) => {
    tables.set(urn.toLowerCase(), schema);
    urns.push(urn);
  };
  add(kind === 'User' ? SCIM_USER_SCHEMA : SCIM_GROUP_SCHEMA, core);
  if (kind === 'User') {
    add(SCIM_ENTERPRISE_USER_SCHEMA, ENTERPRISE);
    // Where the WSO2 claims with no SCIM attribute live (wso2-claims.ts), whatever the manifest declares.
    add(PROVISIO_WSO2_EXTENSION_SCHEMA, OPEN);
    if (schemas.builtIn.includes('wso2')) add(WSO2_IS_SCHEMA, OPEN);
  }
  for (const extension of schemas.extensions)
    if (extension.attachTo === kind) add(extension.id, table(extension.attributes.map(declared), schemas.lenient));
  const tableOf = (urn: string): Table | undefined => {
    const found = tables.get(urn.toLowerCase());
    if (found) return found;
    const entra = schemas.builtIn.includes('entra') ? ENTRA_EXTENSION.exec(urn) : null;
    return schemas.lenient || entra?.[1].toLowerCase() === kind.toLowerCase() ? OPEN : undefined;
  };

  return {
    check({ path, valueFilter, subAttribute }) {
      const schema = path.schema === undefined ? core : tableOf(path.schema);
      if (schema === undefined) {
        return `${path.schema} is not a schema of ${kind}s; declare it in inbound.scim.schemas (known: ${urns.join(', ')})`;
      }
      if (schema.open) return undefined;
      const attribute = schema.byName.get(path.attribute.toLowerCase());
      if (attribute === undefined) {
        if (path.attribute.toLowerCase() === 'password') return 'password is never mapped: set passwordProvisioning: true on the instance';
        const nearest = nearestNames(
          path.attribute,
          [...schema.byName.values()].map((a) => a.name),
          1,
        );
        return `${JSON.stringify(path.attribute)} is not an attribute of ${kind}${path.schema ? ` in ${path.schema}` : ''}; did you mean ${JSON.stringify(nearest[0])}?`;
      }
      const sub = path.subAttribute ?? subAttribute;
      if (sub !== undefined) {
        const problem = subProblem(attribute, sub);
        if (problem) return problem;
      }
      for (const name of valueFilter ? filterAttributes(valueFilter) : []) {
        const problem = subProblem(attribute, name);
        if (problem) return `in the value filter: ${problem}`;
      }
      return undefined;
    },
  };
}

function subProblem(attribute: Attribute, sub: string): string | undefined {
  if (attribute.subs === undefined) {
    if (attribute.multiValued && sub.toLowerCase() === 'value') return undefined;
    return `${attribute.name} has no sub-attributes (it is a single value), so "${attribute.name}.${sub}" is never set`;
  }
  if (attribute.subs.some((name) => name.toLowerCase() === sub.toLowerCase())) return undefined;
  return `${JSON.stringify(sub)} is not a sub-attribute of ${attribute.name}; did you mean ${JSON.stringify(nearestNames(sub, attribute.subs, 1)[0])}? (known: ${attribute.subs.join(', ')})`;
}

/** The attribute names a value filter compares (`type`, `primary` in `[type eq "work" and primary eq true]`). */
function filterAttributes(filter: FilterNode): string[] {
  switch (filter.kind) {
    case 'compare':
    case 'present':
      return [filter.path.attribute];
    case 'and':
    case 'or':
      return [...filterAttributes(filter.left), ...filterAttributes(filter.right)];
    case 'not':
      return filterAttributes(filter.filter);
    case 'valuePath':
      return [filter.path.attribute];
  }
}
