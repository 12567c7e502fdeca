// customers.get and domains.list/get: what a connector's check() reads.
import { assertOwnCustomer, type DirectoryContext, type RouteParams } from './google-directory-context.js';
import { googleErrors } from './google-errors.js';
import { type ApiResponse, type JsonObject, jsonResponse } from './google-http-types.js';
import { newEtag } from './google-ids.js';

function toDomainResource(ctx: DirectoryContext, domainName: string): JsonObject {
  return {
    kind: 'admin#directory#domains',
    etag: newEtag(domainName),
    domainName,
    isPrimary: domainName === ctx.options.domains[0],
    verified: true,
    creationTime: String(Date.UTC(2020, 0, 1)),
  };
}

export function getCustomer(ctx: DirectoryContext, [customerKey]: RouteParams): ApiResponse {
  assertOwnCustomer(ctx, customerKey);
  return jsonResponse(200, {
    kind: 'admin#directory#customer',
    id: ctx.options.customerId,
    etag: newEtag(ctx.options.customerId),
    customerDomain: ctx.options.domains[0],
    alternateEmail: `postmaster@${ctx.options.domains[0]}`,
    customerCreationTime: new Date(Date.UTC(2020, 0, 1)).toISOString(),
    language: 'en',
  });
}

export function listDomains(ctx: DirectoryContext, [customer]: RouteParams): ApiResponse {
  assertOwnCustomer(ctx, customer);
  return jsonResponse(200, {
    kind: 'admin#directory#domains',
    etag: newEtag('domains'),
    domains: ctx.options.domains.map((d) => toDomainResource(ctx, d)),
  });
}

export function getDomain(ctx: DirectoryContext, [customer, domainName]: RouteParams): ApiResponse {
  assertOwnCustomer(ctx, customer);
  const domain = domainName.toLowerCase();
  if (!ctx.options.domains.includes(domain)) throw googleErrors.notFound('domainName');
  return jsonResponse(200, toDomainResource(ctx, domain));
}
