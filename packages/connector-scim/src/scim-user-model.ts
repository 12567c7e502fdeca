import { PermanentError } from '@provisio/core';
import type { ScimDialect } from './scim-dialect.js';
import { isClear, multiValue, singleValue } from './scim-mapped-values.js';
import { attributePath, resolveTarget, slotOf, type MappingTarget } from './scim-mapping-target.js';
import { TargetProblem } from './scim-target-problem.js';
import type { TargetUserSchema } from './scim-target-schema.js';

/**
 * The mapping keys of one connector resolved against its target's User schema, once each.
 * Every problem is a PermanentError naming the connector and each key at fault (`mapping.<key>`).
 */
export class ScimUserModel {
  private readonly resolved = new Map<string, MappingTarget | TargetProblem>();

  /** `label`: the connector, as messages name it ('connector "hr-scim" (scim2)'). */
  constructor(
    readonly dialect: ScimDialect,
    readonly schema: TargetUserSchema,
    private readonly label: string,
  ) {}

  /** The targets of these keys; one error listing every key that names nothing the target has, or two keys that collide. */
  targets(keys: Iterable<string>): Map<string, MappingTarget> {
    const targets = new Map<string, MappingTarget>();
    const problems: string[] = [];
    for (const key of new Set(keys)) {
      const target = this.resolve(key);
      if (target instanceof TargetProblem) problems.push(`mapping.${key}: ${target.message}`);
      else targets.set(key, target);
    }
    problems.push(...collisions(targets));
    if (problems.length > 0) throw this.error(problems);
    return targets;
  }

  /** The value to send for a target: the attribute's JSON type, a list for a whole multi-valued attribute. */
  wire(target: MappingTarget, raw: unknown): unknown {
    try {
      if (target.sub) return singleValue(target.sub, raw);
      if (target.attribute.multiValued && !target.element) return multiValue(target.attribute, raw);
      return singleValue(target.attribute, raw);
    } catch (error) {
      if (error instanceof TargetProblem) throw this.error([`mapping.${target.key}: ${error.message}`]);
      throw error;
    }
  }

  /** `wire`, or undefined for an empty value (and an empty list). */
  wireOrClear(target: MappingTarget, raw: unknown): unknown {
    if (isClear(raw)) return undefined;
    const value = this.wire(target, raw);
    return Array.isArray(value) && value.length === 0 ? undefined : value;
  }

  private resolve(key: string): MappingTarget | TargetProblem {
    let found = this.resolved.get(key);
    if (found === undefined) {
      try {
        found = resolveTarget(this.schema, this.dialect, key);
      } catch (error) {
        if (!(error instanceof TargetProblem)) throw error;
        found = error;
      }
      this.resolved.set(key, found);
    }
    return found;
  }

  private error(problems: string[]): PermanentError {
    return new PermanentError(`${this.label}: ${problems.join('; ')} (the target's schema: ${this.schema.source})`);
  }
}

/** Two keys writing the same value, or a whole multi-valued attribute and one of its values. */
function collisions(targets: Map<string, MappingTarget>): string[] {
  const problems: string[] = [];
  const bySlot = new Map<string, string>();
  const wholes = new Map<string, string>();
  for (const [key, target] of targets) {
    if (target.attribute.multiValued && !target.element) wholes.set(attributePath(target).toLowerCase(), key);
  }
  for (const [key, target] of targets) {
    const slot = slotOf(target);
    const first = bySlot.get(slot);
    if (first !== undefined) problems.push(`mapping.${key}: writes the same value as mapping.${first}`);
    else bySlot.set(slot, key);
    const whole = wholes.get(attributePath(target).toLowerCase());
    if (whole !== undefined && target.element !== undefined) {
      problems.push(`mapping.${key}: mapping.${whole} already writes every value of "${attributePath(target)}"`);
    }
  }
  return problems;
}
