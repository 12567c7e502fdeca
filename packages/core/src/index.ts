// @provisio/core: the plugin API, all a connector or plugin package needs (definePlugin,
// defineConnector, the connector contract and its context, errors, the identity model, the shared
// HTTP helpers, mapping, DI tokens). The engine (pipeline, store ports, worker, manifest) is
// '@provisio/core/engine'; the in-memory store and the contract suites are '@provisio/core/testing'.
// Nothing else of this package may be imported.
export { z } from 'zod';
export { configFields } from './connector/config-fields.js';
export type { ConfigFieldRow } from './connector/config-fields.js';
export * from './model/identity.js';
export * from './model/operation.js';
export * from './errors.js';
export { compileMatchRules, matchKeysOf, matchValue, MatchRuleError } from './matching/match-rules.js';
export type { CompiledMatchRule, MatchingDefinition, MatchKey, MatchRule } from './matching/match-rules.js';
export * from './clock.js';
export type * from './connector/outbound-connector.js';
export {
  JOB_HEADER,
  LeaseDeadlineError,
  remoteCallAborted,
  remoteCallHeaders,
  remoteCallTimeLeft,
  throwIfRemoteCallAborted,
  WORKER_HEADER,
} from './connector/remote-call.js';
export type { RemoteCallOptions, RemoteCallOrigin } from './connector/remote-call.js';
export { fetchPage } from './connector/page-retry.js';
export type { PageRetryOptions } from './connector/page-retry.js';
export type * from './connector/read-side.js';
export { defineConnector, isConnectorDefinition, CONNECTOR_TAG } from './connector/define-connector.js';
export type { ConnectorDefinition, ConnectorDefinitionInput } from './connector/define-connector.js';
export { provisionSingly } from './connector/provision-singly.js';
export { groupOperationsOf } from './connector/group-operations.js';
export type { GroupOperations } from './connector/group-operations.js';
export { DelegatingConnector, DelegatingReadingConnector } from './connector/delegating-connector.js';
export type { UserRoom, GroupRoom, ReaderRoom } from './connector/delegating-connector.js';
export { createConnectorHttp } from './http/connector-http.js';
export type { ConnectorHttp } from './http/connector-http.js';
export { HttpClient, displayUrl, remoteDetail } from './http/http-client.js';
export type { HttpCall, HttpResponse, HttpAuth, HttpStatusClassifier, HttpClientOptions, HttpAgents } from './http/http-client.js';
export { OAuth2TokenCache } from './http/oauth2-token-cache.js';
export type { OAuth2ClientCredentials, OAuth2TokenCacheOptions } from './http/oauth2-token-cache.js';
export { parseRetryAfter } from './http/retry-after.js';
export { httpStatusKind, provisioningError } from './http/http-errors.js';
export type { ProvisioningErrorDetails } from './http/http-errors.js';
export { definePlugin, isProvisioPlugin, PLUGIN_API_VERSION, PLUGIN_TAG } from './plugin/define-plugin.js';
export type { PluginInput, ProvisioPlugin } from './plugin/define-plugin.js';
export { TOKENS, token, asServiceId } from './di/tokens.js';
export type { Token, StoreDescription } from './di/tokens.js';
export type { ExpressionFunction } from './extension/expression-function.js';
export type { Notification, NotificationChannel } from './extension/notification-channel.js';
export type { HttpHandler, HttpMount, PluginRoute } from './extension/http-handler.js';
export type { Logger, LogFn } from './logging/logger.js';
export { silentLogger } from './logging/logger.js';
export { maskSecrets, collectValuesAt, SecretScrubber, MASK } from './logging/secret-redaction.js';
export * from './mapping/index.js';
// The manifest's mapping rule shape: a connector's default mapping is written in it.
export type { MappingRule } from './manifest/manifest-schema.js';
export { closestName } from './text/edit-distance.js';
