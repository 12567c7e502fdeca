import type { ConnectorInstance } from '../connector/connector-instances.js';
import type { MappedAttributes, UserPayload } from '../connector/outbound-connector.js';
import type { RemoteCallOptions } from '../connector/remote-call.js';
import type { ScimGroup, ScimUser } from '../model/identity.js';
import { ExpressionFunctions } from '../extension/expression-function.js';
import { compileMapping, MappingError, type CompiledMapping } from '../mapping/index.js';
import type { ScimSchemasConfig } from '../manifest/manifest-schema.js';
import { attributeCatalog } from '../mapping/attribute-catalog.js';
import { effectiveMapping } from '../mapping/effective-mapping.js';
import { pickUniqueValues } from '../mapping/unique-values.js';
import { compilePattern, type CompiledPattern } from '../provisioning-pattern/index.js';
import { matchesFilter, parseFilter, type FilterNode } from '../scim-filter/index.js';
import type { JobGuard } from '../store/records.js';
import { guardLimitOf } from './deprovision-guard.js';
import {
  compileMatchRules,
  matchKeysOf,
  MatchRuleError,
  type CompiledMatchRule,
  type MatchKey,
  type MatchRule,
} from '../matching/match-rules.js';
import { nearestNames } from '../mapping/nearest-names.js';

/**
 * A connector instance with everything compiled once at start: scope filters,
 * mappings and pattern. The worker and the planner use it for every job.
 */
export class ProvisioningTarget {
  private readonly userScope?: FilterNode;
  private readonly groupScope?: FilterNode;
  private readonly userMapping: CompiledMapping;
  private readonly groupMapping: CompiledMapping;
  private readonly pattern?: CompiledPattern;
  /** The accidental-deletion guard's limit; undefined when `deprovisionGuard: false`. */
  readonly guard?: Omit<JobGuard, 'counts'>;
  private readonly match: CompiledMatchRule[];

  /** `functions`: the plugins' expression functions the mappings may call. */
  constructor(
    readonly instance: ConnectorInstance,
    functions: ExpressionFunctions = ExpressionFunctions.none,
  ) {
    const { settings } = instance;
    this.userScope = settings.scope ? parseFilter(settings.scope) : undefined;
    this.groupScope = settings.groupScope ? parseFilter(settings.groupScope) : undefined;
    this.userMapping = compileMapping(effectiveMapping(settings.mapping, instance.definition.defaultMapping), { functions });
    this.groupMapping = compileMapping(effectiveMapping(settings.groupMapping, instance.definition.defaultGroupMapping), { functions });
    this.guard = guardLimitOf(settings);
    this.pattern = settings.pattern ? compilePattern({ ...settings.pattern, idpName: settings.pattern.idpName ?? settings.id }) : undefined;
    this.match = compileMatchRules(effectiveMatchRules(instance), instance.definition.matching, functions);
  }

  /** The match rules in force: the manifest's `match`, else the connector type's defaults. */
  get matchRules(): readonly MatchRule[] {
    return this.match.map((compiled) => compiled.rule);
  }

  /** Each rule's value for a user, by rule index (undefined: it has none). */
  matchValues(user: ScimUser): (string | undefined)[] {
    const attributes = this.mapUser(user);
    const accountName = this.accountName(user);
    return this.match.map((compiled) => compiled.valueOf(user, attributes, accountName));
  }

  /** The match keys of a user, in rule order: what findUser and import look for. */
  matchKeys(user: ScimUser, attributes: MappedAttributes = this.mapUser(user), accountName = this.accountName(user)): MatchKey[] {
    return matchKeysOf(this.match, user, attributes, accountName);
  }

  get id(): string {
    return this.instance.id;
  }

  get handlesGroups(): boolean {
    return this.instance.settings.provisionGroups && this.instance.definition.capabilities.groups;
  }

  /** `deprovision.mode: skip`: remote accounts are left alone on delete and leaving scope (nothing to guard). */
  get skipsDeprovisioning(): boolean {
    return this.instance.settings.deprovision?.mode === 'skip';
  }

  /** The guard a deprovisioning sync (deactivation) carries (`counts`: it deactivates now, not only carries that state). */
  guardFor(counts: boolean): JobGuard | undefined {
    return this.guard ? { ...this.guard, counts } : undefined;
  }

  /** The guard a delete job carries: none in skip mode, where a delete leaves the account alone. */
  get deleteGuard(): JobGuard | undefined {
    return this.skipsDeprovisioning ? undefined : this.guardFor(true);
  }

  get provisionsPasswords(): boolean {
    return this.instance.settings.passwordProvisioning;
  }

  /** `user` must carry its derived `groups` for group-based scopes. */
  userInScope(user: ScimUser): boolean {
    return this.userScope === undefined || matchesFilter(user, this.userScope);
  }

  groupInScope(group: ScimGroup): boolean {
    return this.handlesGroups && (this.groupScope === undefined || matchesFilter(group, this.groupScope));
  }

  /** The remote fields the user mapping writes (what an import reads back). */
  get mappedUserFields(): readonly string[] {
    return this.userMapping.fields;
  }

  /** The remote field the pattern's account name goes to, when the connector type names one. */
  get accountNameField(): string | undefined {
    return this.instance.definition.matching?.accountNameField;
  }

  /** Whether `field` is compared ignoring case on this target. */
  matchIgnoresCaseOf(field: string): boolean {
    const matching = this.instance.definition.matching;
    return (matching?.caseInsensitive ?? true) && !(matching?.caseExactFields ?? []).includes(field);
  }

  /** `remembered`: the link's synced attributes, whose selectUniqueValue choices are kept (never re-picked). */
  mapUser(user: ScimUser, remembered?: MappedAttributes): MappedAttributes {
    return this.userMapping.apply(user, remembered);
  }

  /** The selectUniqueValue values (`field "value"`) picked for this create: in `attributes`, but not what `remembered` (the link) holds. */
  freshlyPicked(attributes: MappedAttributes, remembered: MappedAttributes | undefined): string[] {
    return this.userMapping.uniqueFields
      .filter((field) => attributes[field] !== undefined && attributes[field] !== remembered?.[field])
      .map((field) => `${field} ${JSON.stringify(attributes[field])}`);
  }

  /**
   * Before a create: each selectUniqueValue field the payload lacks gets the first candidate
   * the target's findUser finds no account for, looking by that field alone.
   */
  async withUniqueValues(payload: UserPayload, call: RemoteCallOptions = {}): Promise<UserPayload> {
    if (this.userMapping.uniqueFields.length === 0) return payload;
    const connector = this.instance.connector;
    const attributes = await pickUniqueValues(this.userMapping, payload.user, payload.attributes, async (field, value) => {
      const lookup = { localId: payload.localId, attributes: { [field]: value }, match: [{ remote: field, value: String(value) }] };
      return (await connector.findUser(lookup, call)) !== null;
    });
    return attributes === payload.attributes ? payload : { ...payload, attributes };
  }

  mapGroup(group: ScimGroup): MappedAttributes {
    return this.groupMapping.apply(group);
  }

  accountName(user: ScimUser): string | undefined {
    return this.pattern?.build({ userName: user.userName });
  }
}

/**
 * Static checks of scopes, mappings and patterns, for `provisio validate`: one message per broken field.
 * `schemas`: the manifest's `inbound.scim.schemas`, so that mapped paths are checked against the
 * attributes identities can carry (core, enterprise and declared extensions).
 */
export function checkTargetExpressions(
  instance: Pick<ConnectorInstance, 'settings' | 'definition'>,
  functions: ExpressionFunctions = ExpressionFunctions.none,
  schemas?: ScimSchemasConfig,
): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const attempt = <T>(field: string, compile: () => T): T | undefined => {
    try {
      return compile();
    } catch (error) {
      // A mapping reports each broken field itself (`mapping.Alias: ...`).
      if (error instanceof MappingError) problems.push(...error.issues.map((issue) => ({ field: issue.field, message: issue.message })));
      else problems.push({ field, message: (error as Error).message });
      return undefined;
    }
  };
  const { settings, definition } = instance;
  if (settings.scope) attempt('scope', () => parseFilter(settings.scope as string));
  if (settings.groupScope) attempt('groupScope', () => parseFilter(settings.groupScope as string));
  const users = attempt('mapping', () =>
    compileMapping(effectiveMapping(settings.mapping, definition.defaultMapping), {
      label: 'mapping',
      functions,
      attributes: attributeCatalog('User', schemas),
    }),
  );
  const groups = attempt('groupMapping', () =>
    compileMapping(effectiveMapping(settings.groupMapping, definition.defaultGroupMapping), {
      label: 'groupMapping',
      functions,
      attributes: attributeCatalog('Group', schemas),
    }),
  );
  if (users) problems.push(...uniqueFieldProblems(instance, users), ...lookupProblems(definition, users, 'mapping'));
  if (groups) {
    for (const field of groups.uniqueFields)
      problems.push({
        field: `groupMapping.${field}`,
        message: 'selectUniqueValue picks user account values; a group mapping cannot use it',
      });
    for (const field of Object.keys(groups.lookups))
      problems.push({ field: `groupMapping.${field}`, message: 'lookup resolves user fields; a group mapping cannot use it' });
  }
  const pattern = settings.pattern;
  if (pattern) attempt('pattern', () => compilePattern({ ...pattern, idpName: pattern.idpName ?? settings.id }));
  problems.push(...matchRuleProblems(instance, functions));
  return problems;
}

/** selectUniqueValue asks findUser by the field alone: the type must look up by it, and the pattern must not own it. */
function uniqueFieldProblems(
  { settings, definition }: Pick<ConnectorInstance, 'settings' | 'definition'>,
  mapping: CompiledMapping,
): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const known = definition.matching?.fields;
  for (const field of mapping.uniqueFields) {
    if (known && !known.includes(field))
      problems.push({
        field: `mapping.${field}`,
        message: `selectUniqueValue checks each candidate by looking accounts up by "${field}", which ${definition.displayName} cannot do (it looks up by ${known.join(', ')})`,
      });
    if (settings.pattern && field === definition.matching?.accountNameField)
      problems.push({
        field: `mapping.${field}`,
        message: `the provisioning pattern builds ${field}, so selectUniqueValue would never be used: remove the pattern or pick another field`,
      });
  }
  return problems;
}

/** Each `lookup` must be one the connector type resolves. */
function lookupProblems(
  definition: ConnectorInstance['definition'],
  mapping: CompiledMapping,
  label: string,
): { field: string; message: string }[] {
  return Object.entries(mapping.lookups).flatMap(([field, lookup]) => {
    const problem = definition.checkLookup
      ? definition.checkLookup(lookup)
      : `${definition.displayName} resolves no lookups; map the remote value itself`;
    return problem === undefined ? [] : [{ field: `${label}.${field}`, message: `lookup ${JSON.stringify(lookup)}: ${problem}` }];
  });
}

function effectiveMatchRules(instance: Pick<ConnectorInstance, 'settings' | 'definition'>): readonly MatchRule[] {
  return instance.settings.match ?? instance.definition.matching?.defaults ?? [];
}

/** A `local` that does not compile, or a `remote` the connector type cannot look up by, at `match[i].local|remote`. */
function matchRuleProblems(
  instance: Pick<ConnectorInstance, 'settings' | 'definition'>,
  functions: ExpressionFunctions,
): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const rules = instance.settings.match ?? [];
  const known = instance.definition.matching?.fields;
  rules.forEach((rule, index) => {
    try {
      compileMatchRules([rule], instance.definition.matching, functions);
    } catch (error) {
      if (error instanceof MatchRuleError) problems.push({ field: `match[${index}].local`, message: error.message });
      else throw error;
    }
    if (known && !known.includes(rule.remote)) {
      const nearest = nearestNames(rule.remote, known, 1)[0];
      problems.push({
        field: `match[${index}].remote`,
        message: `${instance.definition.displayName} cannot look accounts up by "${rule.remote}"${nearest ? `; did you mean "${nearest}"?` : ''} (known: ${known.join(', ')})`,
      });
    }
  });
  return problems;
}
