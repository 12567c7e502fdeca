// What every Directory API handler receives: the state, the resolved options, and helpers shared by them.
import { googleErrors } from './google-errors.js';
import type { ApiRequest, ApiResponse, JsonValue } from './google-http-types.js';
import type { ResolvedGoogleOptions } from './google-options.js';
import type { GoogleDirectoryState } from './google-state.js';

export interface DirectoryContext {
  state: GoogleDirectoryState;
  options: ResolvedGoogleOptions;
}

export type RouteParams = string[];
export type DirectoryHandler = (ctx: DirectoryContext, params: RouteParams, req: ApiRequest) => ApiResponse;

export function nowIso(ctx: DirectoryContext): string {
  return new Date(ctx.options.now()).toISOString();
}

export function parseJsonBody(req: ApiRequest): JsonValue {
  if (req.body.trim() === '') return {};
  try {
    return JSON.parse(req.body) as JsonValue;
  } catch {
    // Node's parser message quotes the body, which may hold a password: keep it out of the answer.
    throw googleErrors.invalidJson('Unexpected token.');
  }
}

/** `my_customer` or the customer's own id; another customer's data is not this admin's to see. */
export function assertOwnCustomer(ctx: DirectoryContext, customer: string): void {
  if (customer !== 'my_customer' && customer !== ctx.options.customerId) throw googleErrors.notAuthorized();
}

function assertOwnDomain(ctx: DirectoryContext, domain: string): void {
  if (!ctx.options.domains.includes(domain.toLowerCase())) throw googleErrors.notAuthorized();
}

/**
 * The `customer` and `domain` a list call asks for, each checked to be this admin's. One of them is
 * required, unless `otherScope` (groups.list's userKey) names what to list instead.
 */
export function listScope(
  ctx: DirectoryContext,
  query: URLSearchParams,
  otherScope?: string | null,
): { customer: string | null; domain: string | null } {
  const customer = query.get('customer');
  const domain = query.get('domain');
  if (!customer && !domain && !otherScope) throw googleErrors.badRequest();
  if (customer) assertOwnCustomer(ctx, customer);
  if (domain) assertOwnDomain(ctx, domain);
  return { customer, domain };
}
