// Google's OAuth 2.0 token endpoint for the JWT-bearer grant (service accounts, domain-wide delegation),
// answering errors with Google's `{error, error_description}` bodies.
import type { KeyObject } from 'node:crypto';
import type { ApiRequest, ApiResponse } from './google-http-types.js';
import { jsonResponse } from './google-http-types.js';
import { decodeJwt, publicKeyFromPem, verifyRs256 } from './google-jwt.js';
import type { ResolvedGoogleOptions } from './google-options.js';
import { isKnownGoogleScope } from './google-scopes.js';
import type { GoogleDirectoryState } from './google-state.js';
import type { GoogleTokenStore } from './google-token-store.js';
import type { GoogleFaults } from './google-faults.js';

const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Audiences Google accepts for the assertion; google-auth-library sends the first. */
const TOKEN_AUDIENCES = [
  'https://oauth2.googleapis.com/token',
  'https://www.googleapis.com/oauth2/v4/token',
  'https://accounts.google.com/o/oauth2/token',
];
const MAX_LIFETIME_SEC = 3600;
const CLOCK_SKEW_SEC = 300;

const oauthError = (status: number, error: string, description: string): ApiResponse =>
  jsonResponse(status, { error, error_description: description });

const INVALID_SIGNATURE = () => oauthError(400, 'invalid_grant', 'Invalid JWT Signature.');
const BAD_TIMEFRAME = () =>
  oauthError(
    400,
    'invalid_grant',
    'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
  );

interface ServiceAccountKeys {
  scopes: string[];
  keys: KeyObject[];
}

export class GoogleTokenEndpoint {
  private readonly accounts = new Map<string, ServiceAccountKeys>();

  constructor(
    private readonly options: ResolvedGoogleOptions,
    private readonly state: GoogleDirectoryState,
    private readonly tokens: GoogleTokenStore,
    private readonly faults?: Pick<GoogleFaults, 'keysRevoked'>,
  ) {
    for (const sa of options.serviceAccounts) {
      this.accounts.set(sa.clientEmail, { scopes: sa.scopes, keys: sa.publicKeyPems.map(publicKeyFromPem) });
    }
  }

  handle(req: ApiRequest): ApiResponse {
    this.state.tokenRequests++;
    if (req.method !== 'POST') return oauthError(405, 'invalid_request', 'Method not allowed, use POST.');
    const form = new URLSearchParams(req.body);
    const grantType = form.get('grant_type') ?? '';
    if (grantType !== JWT_BEARER_GRANT) return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType}`);
    const assertion = form.get('assertion');
    if (!assertion) return oauthError(400, 'invalid_request', 'Missing required parameter: assertion');
    return this.exchange(assertion);
  }

  private exchange(assertion: string): ApiResponse {
    const jwt = decodeJwt(assertion);
    if (!jwt) return INVALID_SIGNATURE();
    const { iss, sub, aud, scope, iat, exp } = jwt.claims;
    const account = typeof iss === 'string' ? this.accounts.get(iss) : undefined;
    if (!account || typeof iss !== 'string') return oauthError(400, 'invalid_grant', 'Invalid grant: account not found');
    if (this.faults?.keysRevoked || !verifyRs256(jwt, account.keys)) return INVALID_SIGNATURE();
    if (typeof aud !== 'string' || !TOKEN_AUDIENCES.includes(aud)) {
      return oauthError(400, 'invalid_grant', `Invalid JWT: Failed audience check. The right audience is ${TOKEN_AUDIENCES[0]}`);
    }
    const nowSec = Math.floor(this.options.now() / 1000);
    if (typeof iat !== 'number' || typeof exp !== 'number') return BAD_TIMEFRAME();
    if (exp <= nowSec - CLOCK_SKEW_SEC || iat > nowSec + CLOCK_SKEW_SEC || exp - iat > MAX_LIFETIME_SEC || exp <= iat) {
      return BAD_TIMEFRAME();
    }
    const scopes = typeof scope === 'string' ? scope.split(/\s+/).filter(Boolean) : [];
    if (scopes.length === 0 || !scopes.every(isKnownGoogleScope)) {
      return oauthError(400, 'invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
    }
    let subject: string | undefined;
    if (sub !== undefined) {
      const user = typeof sub === 'string' ? this.state.findUser(sub) : undefined;
      if (!user) return oauthError(400, 'invalid_grant', 'Invalid email or User ID');
      // Domain-wide delegation: every requested scope must be authorized for this client in the Admin console.
      if (!scopes.every((s) => account.scopes.includes(s))) {
        return oauthError(
          401,
          'unauthorized_client',
          'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
        );
      }
      subject = user.primaryEmail;
    }
    const ttl = this.options.tokenTtlSec;
    const accessToken = this.tokens.issue({
      clientEmail: iss,
      ...(subject ? { subject } : {}),
      scopes,
      expiresAt: this.options.now() + ttl * 1000,
    });
    this.state.tokensIssued++;
    return jsonResponse(200, { access_token: accessToken, expires_in: ttl, token_type: 'Bearer' });
  }
}
