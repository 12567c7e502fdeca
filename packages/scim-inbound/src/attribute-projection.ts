import { SCIM_ENTERPRISE_USER_SCHEMA } from '@provisio/core';
import { isPlainObject } from './resource-validator.js';

/**
 * `attributes` / `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9). `id` and `schemas`
 * are always returned. A filter in an attribute name (`emails[type eq "work"]`, as
 * Microsoft's test collection sends) selects the whole attribute.
 */
const ALWAYS = new Set(['id', 'schemas']);

interface Selector {
  container: 'core' | 'extension';
  attribute: string;
  sub?: string;
}

function selector(text: string): Selector {
  let rest = text.replace(/\[.*$/s, '').trim();
  let container: Selector['container'] = 'core';
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    const schema = rest.slice(0, colon).toLowerCase();
    if (schema === SCIM_ENTERPRISE_USER_SCHEMA.toLowerCase()) container = 'extension';
    rest = rest.slice(colon + 1);
    if (schema === SCIM_ENTERPRISE_USER_SCHEMA.toLowerCase() && rest.toLowerCase() === 'user')
      return { container: 'core', attribute: SCIM_ENTERPRISE_USER_SCHEMA.toLowerCase() };
  }
  const [attribute, sub] = rest.toLowerCase().split('.', 2);
  return { container, attribute, sub };
}

type Doc = Record<string, unknown>;

export function project(resource: Doc, attributes: readonly string[] | undefined, excluded: readonly string[] | undefined): Doc {
  if (attributes && attributes.length > 0) return include(resource, attributes.map(selector));
  if (excluded && excluded.length > 0) return exclude(resource, excluded.map(selector));
  return resource;
}

function include(resource: Doc, selectors: Selector[]): Doc {
  const out: Doc = {};
  for (const [key, value] of Object.entries(resource)) {
    const lower = key.toLowerCase();
    if (ALWAYS.has(lower)) out[key] = value;
    else if (lower === SCIM_ENTERPRISE_USER_SCHEMA.toLowerCase() && isPlainObject(value)) {
      if (selectors.some((s) => s.attribute === lower)) out[key] = value;
      else {
        const picked = include(
          value,
          selectors.filter((s) => s.container === 'extension').map((s) => ({ ...s, container: 'core' })),
        );
        if (Object.keys(picked).length > 0) out[key] = picked;
      }
    } else {
      const matching = selectors.filter((s) => s.container === 'core' && s.attribute === lower);
      if (matching.length === 0) continue;
      if (matching.some((s) => s.sub === undefined)) out[key] = value;
      else out[key] = pickSubs(value, new Set(matching.map((s) => s.sub as string)));
    }
  }
  return out;
}

function pickSubs(value: unknown, subs: Set<string>): unknown {
  const pick = (item: unknown) =>
    isPlainObject(item) ? Object.fromEntries(Object.entries(item).filter(([k]) => subs.has(k.toLowerCase()))) : item;
  return Array.isArray(value) ? value.map(pick) : pick(value);
}

function exclude(resource: Doc, selectors: Selector[]): Doc {
  const out: Doc = {};
  for (const [key, value] of Object.entries(resource)) {
    const lower = key.toLowerCase();
    if (ALWAYS.has(lower)) {
      out[key] = value;
      continue;
    }
    const isExtension = lower === SCIM_ENTERPRISE_USER_SCHEMA.toLowerCase() && isPlainObject(value);
    const matching = isExtension ? [] : selectors.filter((s) => s.container === 'core' && s.attribute === lower);
    if (selectors.some((s) => s.container === 'core' && s.attribute === lower && s.sub === undefined)) continue;
    if (isExtension)
      out[key] = exclude(
        value,
        selectors.filter((s) => s.container === 'extension').map((s) => ({ ...s, container: 'core' })),
      );
    else if (matching.length > 0) {
      const drop = new Set(matching.map((s) => s.sub as string));
      const strip = (item: unknown) =>
        isPlainObject(item) ? Object.fromEntries(Object.entries(item).filter(([k]) => !drop.has(k.toLowerCase()))) : item;
      out[key] = Array.isArray(value) ? value.map(strip) : strip(value);
    } else out[key] = value;
  }
  return out;
}
