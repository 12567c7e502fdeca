import { ConflictError, PermanentError, TransientError, httpStatusKind, type ProvisioningError } from '@provisio/core';
import type { SalesforceAuth } from './salesforce-config.js';

/** One Salesforce error, from a REST error array item or a per-record SaveResult error. */
export interface SalesforceFailure {
  errorCode: string;
  message: string;
  fields: string[];
  /** HTTP status; absent for per-record results inside an sObject Collections answer (HTTP 200). */
  status?: number;
  retryAfterMs?: number;
}

export interface FailureContext {
  /** What we were doing, for the message: "create User", "add members to Group 00G...". */
  action: string;
  /** Field names we sent, to name the culprit when Salesforce names none (bad ProfileId). */
  sentFields?: readonly string[];
  /** The job's lease deadline: no request is sent after it, and jsforce cuts one off at it. */
  signal?: AbortSignal;
}

/** Codes worth retrying whatever the HTTP status says. */
const TRANSIENT_CODES = new Set([
  'REQUEST_LIMIT_EXCEEDED',
  'SERVER_UNAVAILABLE',
  'UNABLE_TO_LOCK_ROW',
  'INVALID_SESSION_ID',
  'API_CURRENTLY_DISABLED',
]);

/** Salesforce messages carry HTML line breaks ("Duplicate Username.<br>The username ..."). */
function plain(message: string): string {
  return message
    .replace(/<br\s*\/?>/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Salesforce leaves `fields` empty for a lookup to a missing record; name the id fields we sent. */
function culpritFields(failure: SalesforceFailure, context: FailureContext): string[] {
  if (failure.fields.length > 0) return failure.fields;
  if (failure.errorCode === 'INVALID_CROSS_REFERENCE_KEY') return (context.sentFields ?? []).filter((f) => /Id$/.test(f) && f !== 'Id');
  return [];
}

function describe(failure: SalesforceFailure, context: FailureContext): string {
  const fields = culpritFields(failure, context);
  const where = fields.length > 0 ? ` (field${fields.length > 1 ? 's' : ''} ${fields.join(', ')})` : '';
  const hint =
    failure.errorCode === 'INVALID_CROSS_REFERENCE_KEY' && failure.fields.length === 0 && fields.length > 0
      ? ': an id sent does not exist in this org'
      : '';
  return `Salesforce rejected ${context.action}: ${failure.errorCode}${where}${hint}: ${plain(failure.message)}`;
}

/** Maps a Salesforce REST or record error to the outcome the pipeline acts on. */
export function classifyFailure(failure: SalesforceFailure, context: FailureContext): ProvisioningError {
  const message = describe(failure, context);
  const options = { remoteCode: failure.errorCode };
  if (
    failure.errorCode === 'DUPLICATE_USERNAME' ||
    failure.errorCode === 'DUPLICATE_VALUE' ||
    failure.errorCode === 'DUPLICATE_DEVELOPER_NAME'
  ) {
    return new ConflictError(message, options);
  }
  if (TRANSIENT_CODES.has(failure.errorCode) || (failure.status !== undefined && httpStatusKind(failure.status) === 'transient')) {
    const limit = failure.errorCode === 'REQUEST_LIMIT_EXCEEDED' ? ' (the org has used up its API request limit; retrying later)' : '';
    return new TransientError(message + limit, { ...options, retryAfterMs: failure.retryAfterMs });
  }
  // Validation codes (REQUIRED_FIELD_MISSING, INVALID_FIELD, ...) and every other 4xx or per-record error: a human fixes the data.
  return new PermanentError(message, options);
}

/** The OAuth error of the token endpoint: `{error, error_description}` (jsforce: name, message). */
export interface TokenFailure {
  error: string;
  description: string;
}

function tokenAdvice(failure: TokenFailure, auth: SalesforceAuth): string {
  const { error, description } = failure;
  if (error === 'invalid_client_id')
    return 'auth.clientId is not the consumer key of a connected app here; check auth.clientId and tokenEndpoint (login.salesforce.com vs test.salesforce.com)';
  if (error === 'invalid_client') return 'auth.clientSecret does not match the connected app; copy its consumer secret again';
  if (error === 'unsupported_grant_type') return `the token endpoint refuses the ${auth.flow} flow; enable it in the connected app`;
  if (error !== 'invalid_grant') return 'check auth and tokenEndpoint';
  if (auth.flow === 'password') {
    return 'check auth.username, auth.password and auth.securityToken: Salesforce wants the password followed by the security token, and the user must be active and allowed by the connected app';
  }
  if (auth.flow === 'clientCredentials')
    return 'set a "Run As" execution user in the connected app policies (Client Credentials Flow); it needs the API Only User permission';
  if (/audience/i.test(description))
    return 'auth.audience must be the login URL (https://login.salesforce.com, or https://test.salesforce.com for sandboxes)';
  if (/approved/i.test(description)) return `pre-authorize auth.username for the connected app (Manage > Profiles or Permission Sets)`;
  if (/expired/i.test(description)) return "the assertion expired on arrival: check this server's clock";
  return 'check auth.privateKey matches the certificate uploaded to the connected app, auth.clientId and auth.username';
}

/** A failed token request: transient for 5xx, else permanent with the field to fix. */
export function classifyTokenFailure(failure: TokenFailure, auth: SalesforceAuth): ProvisioningError {
  const status = /^ERROR_HTTP_(\d{3})$/.exec(failure.error)?.[1];
  if (status !== undefined && httpStatusKind(Number(status)) === 'transient') {
    return new TransientError(`Salesforce token endpoint answered HTTP ${status}`, { remoteCode: Number(status) });
  }
  const reason = plain(failure.description).slice(0, 300);
  return new PermanentError(`Salesforce login (${auth.flow} flow) failed: ${failure.error}: ${reason}; ${tokenAdvice(failure, auth)}`, {
    remoteCode: failure.error,
  });
}

/** No HTTP answer at all (refused, reset, DNS, timeout): always worth retrying. */
export function classifyNetworkFailure(error: unknown, target: string): TransientError {
  const cause = (error as { cause?: { code?: unknown; cause?: { code?: unknown } } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : typeof cause?.cause?.code === 'string' ? cause.cause.code : undefined;
  const what = code ?? (error instanceof Error ? error.message : 'network error');
  return new TransientError(`cannot reach Salesforce at ${target}: ${what}`, { cause: error, remoteCode: code });
}
