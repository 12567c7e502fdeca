// One Directory API call end to end: route, injected faults, bearer token, scopes, admin rights,
// per-user quota, handler; every outcome rendered in Google's error envelope and counted.
import type { DirectoryContext } from './google-directory-context.js';
import { matchDirectoryRoute } from './google-directory-routes.js';
import { GoogleApiError, googleErrors } from './google-errors.js';
import type { GoogleFaults } from './google-faults.js';
import { type ApiRequest, type ApiResponse, type JsonValue, jsonResponse, notFoundPage } from './google-http-types.js';
import { applyFieldSelection, parseFieldSelection } from './google-partial-response.js';
import type { UserRateLimiter } from './google-rate-limit.js';
import { REQUIRED_SCOPES } from './google-scopes.js';
import type { GoogleTokenStore, TokenGrant } from './google-token-store.js';
import { deleteUser, insertUser, patchUser } from './google-users-api.js';
import type { MatchedRoute } from './google-directory-routes.js';
import { requestOrigin } from '../http/request-origin.js';

export class GoogleDirectoryApi {
  constructor(
    private readonly ctx: DirectoryContext,
    private readonly tokens: GoogleTokenStore,
    private readonly faults: GoogleFaults,
    private readonly limiter: UserRateLimiter,
  ) {}

  handle(req: ApiRequest, batched = false): ApiResponse {
    let subject: string | undefined;
    let response: ApiResponse;
    try {
      const matched = matchDirectoryRoute(req.method, req.path);
      // Google's front end answers an unknown path or method with its HTML 404 page.
      if (matched === undefined) return this.record(req, notFoundPage(), batched);
      const fault = this.faults.takeApiFault();
      if (fault) throw fault;
      const grant = this.authenticate(req);
      subject = grant.subject ?? grant.clientEmail;
      const accepted: readonly string[] = REQUIRED_SCOPES[matched.route.scope];
      if (!grant.scopes.some((s) => accepted.includes(s))) throw googleErrors.insufficientScopes(accepted);
      this.authorize(grant);
      if (!this.limiter.tryTake(subject)) throw googleErrors.userRateLimitExceeded(this.ctx.options.projectNumber);
      const refusal = this.faults.userRefusal(this.userWritten(matched, req));
      if (refusal) throw refusal;
      const fields = req.query.get('fields');
      const selection = fields ? parseFieldSelection(fields) : undefined;
      response = matched.route.handler(this.ctx, matched.params, req);
      if (selection && response.json !== undefined) {
        response = { ...response, json: applyFieldSelection(response.json as JsonValue, selection) };
      }
    } catch (error) {
      response = toErrorResponse(error);
    }
    return this.record(req, response, batched, subject);
  }

  private record(req: ApiRequest, response: ApiResponse, batched: boolean, subject?: string): ApiResponse {
    this.ctx.state.recordCall({
      at: new Date(this.ctx.options.now()).toISOString(),
      method: req.method,
      path: req.path,
      status: response.status,
      ...(subject ? { subject } : {}),
      batched,
      ...withOrigin(req.headers),
    });
    return response;
  }

  /** The address of the user a users.insert / update / patch / delete writes, for injected refusals. */
  private userWritten({ route, params }: MatchedRoute, req: ApiRequest): string | undefined {
    if (route.handler === insertUser) {
      try {
        const body: unknown = JSON.parse(req.body);
        const email = typeof body === 'object' && body !== null ? (body as { primaryEmail?: unknown }).primaryEmail : undefined;
        return typeof email === 'string' ? email : undefined;
      } catch {
        return undefined; // the handler answers the malformed body
      }
    }
    if (route.handler === patchUser || route.handler === deleteUser) return this.ctx.state.findUser(params[0])?.primaryEmail;
    return undefined;
  }

  private authenticate(req: ApiRequest): TokenGrant {
    const header = req.headers['authorization'];
    if (!header) throw googleErrors.loginRequired();
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const grant = match ? this.tokens.lookup(match[1]) : undefined;
    if (!grant) throw googleErrors.invalidCredentials();
    return grant;
  }

  /** Only an impersonated super administrator may use the Directory API. */
  private authorize(grant: TokenGrant): void {
    const user = grant.subject ? this.ctx.state.findUser(grant.subject) : undefined;
    if (!user || !user.isAdmin) throw googleErrors.notAuthorized();
  }
}

export function toErrorResponse(error: unknown): ApiResponse {
  if (error instanceof GoogleApiError) return jsonResponse(error.code, error.toBody(), error.headers);
  const internal = new GoogleApiError(500, 'Internal error encountered.', 'backendError');
  return jsonResponse(500, internal.toBody());
}

/** The call's sender, as a field to spread into its record (absent when the call names nobody). */
function withOrigin(headers: Readonly<Record<string, string | string[] | undefined>>): { origin?: string } {
  const origin = requestOrigin(headers);
  return origin === undefined ? {} : { origin };
}
