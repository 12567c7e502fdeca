import type { ServiceIdentifier } from 'inversify';
import type { Clock } from '../clock.js';
import type { ConnectorDefinition } from '../connector/define-connector.js';
import type { Logger } from '../logging/logger.js';
import type { ProvisioPlugin } from '../plugin/define-plugin.js';
import type { Manifest } from '../manifest/manifest-schema.js';

/**
 * A typed service identifier. `Symbol.for` (not `Symbol`) so that a plugin built
 * against another copy of core names the same service.
 */
export type Token<T> = symbol & { readonly __service?: T };

export function token<T>(name: string): Token<T> {
  return Symbol.for(`provisio.${name}`) as Token<T>;
}

/** Lets inversify's generic API infer T from a typed token. */
export function asServiceId<T>(id: Token<T>): ServiceIdentifier<T> {
  return id as ServiceIdentifier<T>;
}

export const TOKENS = {
  /** Multi-bound: one binding per connector type contributed by a plugin. */
  ConnectorDefinition: token<ConnectorDefinition>('ConnectorDefinition'),
  /** Multi-bound: every loaded plugin. */
  Plugin: token<ProvisioPlugin>('Plugin'),
  ConnectorTypeRegistry: token<import('../connector/connector-type-registry.js').ConnectorTypeRegistry>('ConnectorTypeRegistry'),
  Manifest: token<Manifest>('Manifest'),
  Logger: token<Logger>('Logger'),
  Clock: token<Clock>('Clock'),
} as const;
