import { ProvisioningPatternError } from './provisioning-pattern-error.js';
import { splitUserStoreDomain } from './user-store-domain.js';

/** The parts WSO2 documents: user store domain, user name, tenant domain, identity provider. */
export type PatternEntry = 'UD' | 'UN' | 'TD' | 'IDP';

export const PATTERN_ENTRIES: readonly PatternEntry[] = ['UD', 'UN', 'TD', 'IDP'];
export const DEFAULT_USER_STORE_DOMAIN = 'PRIMARY';
export const DEFAULT_TENANT_DOMAIN = 'carbon.super';

export interface CompilePatternOptions {
  /** e.g. `{UD, UN, TD, IDP}` or `{UN}`; spaces optional. Default `{UN}`. */
  template?: string;
  /** Joins the parts; a literal string (WSO2 used it as a regex, which broke on "." and "|"). Default "_". */
  separator?: string;
  /** Provisioning domain: the id becomes `<id with "@" replaced by ".">@<domain>`. */
  domain?: string;
  /** UD when the user name has no `DOMAIN/` prefix. Default PRIMARY. */
  userStoreDomain?: string;
  /** TD. Default carbon.super (WSO2's super tenant). */
  tenantDomain?: string;
  /** IDP; the server passes the connector instance id. Skipped when absent. */
  idpName?: string;
}

export interface PatternInput {
  /** The local userName, possibly `DOMAIN/name`. */
  userName: string;
}

export interface CompiledPattern {
  readonly entries: readonly PatternEntry[];
  /** The remote user id / username for one user. */
  build(input: PatternInput): string;
}

/**
 * WSO2's outbound provisioning pattern (AbstractOutboundProvisioningConnector.buildUserId plus the
 * Salesforce connector's provisioning domain): the values of the entries, missing ones skipped,
 * joined by the separator and lowercased; then, with a provisioning domain, unless the id already
 * ends with `@domain`, every "@" becomes "." and `@domain` is appended.
 */
export function compilePattern(options: CompilePatternOptions): CompiledPattern {
  const template = options.template ?? '{UN}';
  const entries = parseTemplate(template);
  const separator = options.separator ?? '_';
  const domain = normalizeDomain(options.domain);
  const fixed: Partial<Record<PatternEntry, string>> = {
    TD: nonEmpty(options.tenantDomain) ?? DEFAULT_TENANT_DOMAIN,
    IDP: nonEmpty(options.idpName),
  };
  const defaultUserStore = nonEmpty(options.userStoreDomain) ?? DEFAULT_USER_STORE_DOMAIN;

  return {
    entries,
    build({ userName }) {
      const { domain: userStore, name } = splitUserStoreDomain(userName ?? '');
      if (name.trim() === '') throw new ProvisioningPatternError('cannot build a provisioning id: the user name is empty');
      const values: Partial<Record<PatternEntry, string>> = { ...fixed, UD: userStore ?? defaultUserStore, UN: name };
      const id = entries
        .map((entry) => values[entry])
        .filter((value): value is string => value !== undefined)
        .join(separator)
        .toLowerCase();
      if (domain === undefined || id.endsWith(`@${domain}`)) return id;
      return `${id.replaceAll('@', '.')}@${domain}`;
    },
  };
}

function parseTemplate(template: string): PatternEntry[] {
  const trimmed = template.trim();
  const inner = trimmed.startsWith('{') && trimmed.endsWith('}') ? trimmed.slice(1, -1) : trimmed;
  if (inner.includes('{') || inner.includes('}')) throw invalid(template, 'unbalanced braces');
  const entries: PatternEntry[] = [];
  for (const raw of inner.split(',')) {
    const entry = raw.trim().toUpperCase();
    if (entry === '') throw invalid(template, 'empty entry');
    if (!(PATTERN_ENTRIES as readonly string[]).includes(entry)) {
      throw invalid(template, `unknown entry "${raw.trim()}"; known: ${PATTERN_ENTRIES.join(', ')}`);
    }
    entries.push(entry as PatternEntry);
  }
  return entries;
}

function normalizeDomain(domain: string | undefined): string | undefined {
  const value = nonEmpty(domain)?.replace(/^@/, '').toLowerCase();
  if (value === undefined) return undefined;
  if (!/^[^\s@]+$/.test(value))
    throw new ProvisioningPatternError(`invalid provisioning domain "${domain}": expected a domain such as example.com`);
  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function invalid(template: string, reason: string): ProvisioningPatternError {
  return new ProvisioningPatternError(`invalid provisioning pattern "${template}": ${reason}; e.g. "{UD, UN, TD, IDP}"`);
}
