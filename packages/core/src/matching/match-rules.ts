import type { MappedAttributes } from '../connector/outbound-connector.js';
import type { ExpressionFunctions } from '../extension/expression-function.js';
import { compileSource, isMissing, type ValueSource } from '../mapping/value-source.js';
import type { ScimUser } from '../model/identity.js';

/**
 * How a local identity and a remote account are recognised as the same person: the
 * value of `local` (an attribute path or WSO2 claim URI; absent: what the mapping writes
 * to `remote`) equals the remote account's `remote` field. Rules are tried in order.
 */
export interface MatchRule {
  local?: string;
  remote: string;
}

/** One rule resolved for one identity: look for a remote account whose `remote` field is `value`. */
export interface MatchKey {
  remote: string;
  value: string;
}

/** What a connector type says about matching (its definition's `matching`). */
export interface MatchingDefinition {
  /** Rules used when an instance's manifest gives no `match`. */
  defaults: readonly MatchRule[];
  /** The remote field the provisioning pattern's account name is written to (`Username`, `primaryEmail`, `userName`). */
  accountNameField?: string;
  /** Remote fields the connector can look an account up by; absent: it cannot tell (any field is tried). */
  fields?: readonly string[];
  /** Whether the target compares these fields ignoring case (Salesforce, Google, SCIM userName). */
  caseInsensitive: boolean;
  /** Fields compared exactly even so (SCIM externalId). */
  caseExactFields?: readonly string[];
}

export interface CompiledMatchRule {
  rule: MatchRule;
  /** The rule's value for an identity, or undefined when it has none. */
  valueOf(user: ScimUser, attributes: MappedAttributes, accountName: string | undefined): string | undefined;
}

/** Compiles rules once; throws with the index of a rule whose `local` is not a valid path or claim. */
export function compileMatchRules(
  rules: readonly MatchRule[],
  matching: MatchingDefinition | undefined,
  functions?: ExpressionFunctions,
): CompiledMatchRule[] {
  return rules.map((rule, index) => {
    let source: ValueSource | undefined;
    if (rule.local !== undefined) {
      const compiled = compileSource(rule.local, functions);
      if (typeof compiled === 'string') throw new MatchRuleError(index, 'local', compiled);
      source = compiled;
    }
    return {
      rule,
      valueOf(user, attributes, accountName) {
        let value: unknown;
        if (source) value = source(user);
        else if (accountName !== undefined && rule.remote === matching?.accountNameField) value = accountName;
        else value = attributes[rule.remote];
        return isMissing(value) || typeof value === 'object' ? undefined : String(value);
      },
    };
  });
}

/** The keys of one identity, in rule order (rules it has no value for left out). */
export function matchKeysOf(
  rules: readonly CompiledMatchRule[],
  user: ScimUser,
  attributes: MappedAttributes,
  accountName: string | undefined,
): MatchKey[] {
  const keys: MatchKey[] = [];
  for (const compiled of rules) {
    const value = compiled.valueOf(user, attributes, accountName);
    if (value !== undefined) keys.push({ remote: compiled.rule.remote, value });
  }
  return keys;
}

/** A rule that cannot be used, at `match[index].field`. */
export class MatchRuleError extends Error {
  override readonly name = 'MatchRuleError';
  constructor(
    readonly index: number,
    readonly field: 'local' | 'remote',
    message: string,
  ) {
    super(message);
  }
}

/** Normalises a value for comparison as the target compares it. */
export function matchValue(value: string, caseInsensitive: boolean): string {
  const trimmed = value.trim();
  return caseInsensitive ? trimmed.toLowerCase() : trimmed;
}
