/** What differs between SCIM 2.0 (RFC 7643/7644) and SCIM 1.1 on the wire. */
export interface ScimDialect {
  version: '2.0' | '1.1';
  userSchema: string;
  groupSchema: string;
  enterpriseSchema: string;
  /** The manager's id inside the enterprise `manager` attribute. */
  managerIdKey: 'value' | 'managerId';
  serviceConfigPath: string;
  contentType: string;
  bulk: boolean;
}

export const SCIM2: ScimDialect = {
  version: '2.0',
  userSchema: 'urn:ietf:params:scim:schemas:core:2.0:User',
  groupSchema: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterpriseSchema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  managerIdKey: 'value',
  serviceConfigPath: '/ServiceProviderConfig',
  contentType: 'application/scim+json',
  bulk: true,
};

export const SCIM11: ScimDialect = {
  version: '1.1',
  userSchema: 'urn:scim:schemas:core:1.0',
  groupSchema: 'urn:scim:schemas:core:1.0',
  enterpriseSchema: 'urn:scim:schemas:extension:enterprise:1.0',
  managerIdKey: 'managerId',
  serviceConfigPath: '/ServiceProviderConfigs',
  contentType: 'application/json',
  bulk: false,
};

export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const BULK_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';

export type JsonObject = Record<string, unknown>;

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined;
}

/** A SCIM filter string literal: backslash and double quote escaped (RFC 7644 §3.4.2.2, JSON string rules). */
export function filterLiteral(value: string): string {
  return JSON.stringify(value);
}
