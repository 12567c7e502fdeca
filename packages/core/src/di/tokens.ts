import type { ServiceIdentifier } from 'inversify';
import type { Clock } from '../clock.js';
import type { ConnectorDefinition } from '../connector/define-connector.js';
import type { Logger } from '../logging/logger.js';
import type { ProvisioPlugin } from '../plugin/define-plugin.js';
import type { Manifest } from '../manifest/manifest-schema.js';
import type { ConnectorInstances } from '../connector/connector-instances.js';
import type { ExpressionFunction, ExpressionFunctions } from '../extension/expression-function.js';
import type { HttpMount, PluginRoute } from '../extension/http-handler.js';
import type { NotificationChannel } from '../extension/notification-channel.js';
import type { IdentityService } from '../pipeline/identity-service.js';
import type { ProvisioningRuntime } from '../pipeline/provisioning-runtime.js';
import type { PasswordSealer } from '../security/passwords.js';
import type { Store } from '../store/store-ports.js';

/** What a store module says about the store it opened, safe to log (never a URL with its password). */
export interface StoreDescription {
  label: string;
  /** The store's file, when it keeps one (SQLite): the password key file lives beside it. */
  file?: string;
}

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
  /** Folder the manifest's relative paths are resolved against. */
  ManifestDir: token<string>('ManifestDir'),

  // Server-lifetime services (the server's container): bound by a store module and the host.
  Store: token<Store>('Store'),
  StoreDescription: token<StoreDescription>('StoreDescription'),
  PasswordSealer: token<PasswordSealer>('PasswordSealer'),
  /** Optional: the process's rate gates, so tenants' instances sharing a `rateLimit.key` share one bucket. */
  RateGates: token<import('../pipeline/rate-gate.js').RateGates>('RateGates'),
  /** Optional: told of every connector's remote calls (the server's metrics and readiness). */
  ConnectorObserver: token<import('../connector/observed-connector.js').ConnectorObserver>('ConnectorObserver'),

  // One configuration's services (a child container per generation): core's provisioningModule.
  ConnectorInstances: token<ConnectorInstances>('ConnectorInstances'),
  ProvisioningRuntime: token<ProvisioningRuntime>('ProvisioningRuntime'),
  IdentityService: token<IdentityService>('IdentityService'),
  /** Every mounted HTTP API, in binding order (admin, console, SCIM inbound, plugin routes). Multi-bound. */
  HttpMount: token<HttpMount>('HttpMount'),

  // Extension points: multi-bound, `[]` when no plugin contributes one.
  /** Functions for mapping rules' `from` and `transform`. */
  ExpressionFunction: token<ExpressionFunction>('ExpressionFunction'),
  /** The checked table of every ExpressionFunction (core binds it). */
  ExpressionFunctions: token<ExpressionFunctions>('ExpressionFunctions'),
  /** Ways to reach operators. */
  NotificationChannel: token<NotificationChannel>('NotificationChannel'),
  /** HTTP routes mounted under /plugins/<plugin>/. */
  PluginRoute: token<PluginRoute>('PluginRoute'),
} as const;
