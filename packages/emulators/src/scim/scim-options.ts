// Options of startScimEmulator and their defaults.
import type { ScimAuthOptions } from './scim-auth.js';
import type { ScimUserExtension } from './scim-schema-registry.js';

export interface ScimBulkOptions {
  supported?: boolean;
  maxOperations?: number;
  maxPayloadSize?: number;
}

export interface ScimEmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  auth?: ScimAuthOptions;
  bulk?: ScimBulkOptions;
  /** PATCH advertised in ServiceProviderConfig and accepted (default true); false answers PATCH with 501. */
  patch?: boolean;
  /** Delay before every response. */
  latencyMs?: number;
  /** ServiceProviderConfig filter.maxResults: the largest page the service returns (default 200). */
  maxResults?: number;
  /** A filter matching more resources than this answers 400 tooMany (RFC 7644 Table 9); default unlimited. */
  maxFilterMatches?: number;
  /** Extra User attributes the service refuses to change once set (e.g. ["userName"]) → 400 mutability. */
  immutableUserAttributes?: string[];
  /** User schema extensions declared in /Schemas and /ResourceTypes, stored, returned, filterable and patchable. */
  userExtensions?: ScimUserExtension[];
  /** Value-filtered paths in a User PATCH (default true); false answers them 400 invalidPath, as services without valuePath support do. */
  userPatchFilters?: boolean;
  /** Serve SCIM 1.1 discovery of schemas (`/Schemas/Users`, `/Schemas/Groups`); default false, like WSO2 IS's /wso2/scim. */
  v1Schemas?: boolean;
}

export interface ResolvedScimOptions {
  port: number;
  host: string;
  auth: ScimAuthOptions;
  bulk: Required<ScimBulkOptions>;
  patch: boolean;
  latencyMs: number;
  maxResults: number;
  maxFilterMatches: number;
  immutableUserAttributes: string[];
  userExtensions: ScimUserExtension[];
  userPatchFilters: boolean;
  v1Schemas: boolean;
}

export function resolveScimOptions(options: ScimEmulatorOptions = {}): ResolvedScimOptions {
  return {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    auth: options.auth ?? { type: 'none' },
    bulk: {
      supported: options.bulk?.supported ?? false,
      maxOperations: options.bulk?.maxOperations ?? 100,
      maxPayloadSize: options.bulk?.maxPayloadSize ?? 1_048_576,
    },
    patch: options.patch ?? true,
    latencyMs: options.latencyMs ?? 0,
    maxResults: options.maxResults ?? 200,
    maxFilterMatches: options.maxFilterMatches ?? Number.POSITIVE_INFINITY,
    immutableUserAttributes: options.immutableUserAttributes ?? [],
    userExtensions: options.userExtensions ?? [],
    userPatchFilters: options.userPatchFilters ?? true,
    v1Schemas: options.v1Schemas ?? false,
  };
}
