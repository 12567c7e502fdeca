// What route handlers receive: a parsed request, the shared services, and the response shape they return.
import type { IncomingHttpHeaders } from 'node:http';
import type { Capabilities } from './scim-discovery.js';
import type { ScimFaults } from './scim-faults.js';
import type { JsonValue } from './scim-json.js';
import type { ResolvedScimOptions } from './scim-options.js';
import type { ScimResourceService } from './scim-resource-service.js';
import type { ScimSchemas } from './scim-schema-registry.js';
import type { ScimStore } from './scim-store.js';

export interface ScimRequest {
  method: string;
  /** Path below the dialect base, e.g. "/Users/123". */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: JsonValue | undefined;
  /** Absolute base URL of the dialect, e.g. "http://127.0.0.1:5000/scim/v2". */
  baseUrl: string;
}

export interface ScimResponse {
  status: number;
  headers?: Record<string, string>;
  body?: JsonValue;
}

export interface ScimContext {
  store: ScimStore;
  service: ScimResourceService;
  faults: ScimFaults;
  options: ResolvedScimOptions;
  /** The resource types and schemas this service declares (RFC 7643's and the configured User extensions). */
  schemas: ScimSchemas;
  capabilities(): Capabilities;
}

export function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}
