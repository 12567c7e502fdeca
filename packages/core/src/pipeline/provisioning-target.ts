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
  return problems;
}
