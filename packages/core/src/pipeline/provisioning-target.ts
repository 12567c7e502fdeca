import type { ConnectorInstance } from '../connector/connector-instances.js';
import type { MappedAttributes } from '../connector/outbound-connector.js';
import type { MappingRule } from '../manifest/manifest-schema.js';
import type { ScimGroup, ScimUser } from '../model/identity.js';
import { ExpressionFunctions } from '../extension/expression-function.js';
import { compileMapping, MappingError, type CompiledMapping } from '../mapping/index.js';
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

  mapUser(user: ScimUser): MappedAttributes {
    return this.userMapping.apply(user);
  }

  mapGroup(group: ScimGroup): MappedAttributes {
    return this.groupMapping.apply(group);
  }

  accountName(user: ScimUser): string | undefined {
    return this.pattern?.build({ userName: user.userName });
  }
}

/** The manifest's mapping when it has one, else the connector type's default mapping. */
function effectiveMapping(
  configured: Record<string, MappingRule>,
  fallback: Readonly<Record<string, MappingRule>> | undefined,
): Record<string, MappingRule> {
  return Object.keys(configured).length > 0 ? configured : { ...(fallback ?? {}) };
}

/** Static checks of scopes, mappings and patterns, for `provisio validate`: one message per broken field. */
export function checkTargetExpressions(
  instance: Pick<ConnectorInstance, 'settings' | 'definition'>,
  functions: ExpressionFunctions = ExpressionFunctions.none,
): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const attempt = (field: string, compile: () => unknown) => {
    try {
      compile();
    } catch (error) {
      // A mapping reports each broken field itself (`mapping.Alias: ...`).
      if (error instanceof MappingError) problems.push(...error.issues.map((issue) => ({ field: issue.field, message: issue.message })));
      else problems.push({ field, message: (error as Error).message });
    }
  };
  const { settings } = instance;
  if (settings.scope) attempt('scope', () => parseFilter(settings.scope as string));
  if (settings.groupScope) attempt('groupScope', () => parseFilter(settings.groupScope as string));
  attempt('mapping', () =>
    compileMapping(effectiveMapping(settings.mapping, instance.definition.defaultMapping), { label: 'mapping', functions }),
  );
  attempt('groupMapping', () =>
    compileMapping(effectiveMapping(settings.groupMapping, instance.definition.defaultGroupMapping), { label: 'groupMapping', functions }),
  );
  const pattern = settings.pattern;
  if (pattern) attempt('pattern', () => compilePattern({ ...pattern, idpName: pattern.idpName ?? settings.id }));
  problems.push(...matchRuleProblems(instance, functions));
  return problems;
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
