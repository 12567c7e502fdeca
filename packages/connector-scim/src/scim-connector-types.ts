import { defineConnector, type MappingRule } from '@provisio/core';
import { SCIM_SECRET_FIELDS, scimConfigSchema } from './scim-config.js';
import { ScimConnector } from './scim-connector.js';
import { SCIM11, SCIM2 } from './scim-dialect.js';

/**
 * Remote field ← local attribute when the manifest gives no mapping. `userName` is
 * replaced by the provisioning pattern's account name when the instance has one;
 * externalId is not mapped: the connector sends Provisio's local id.
 */
export const SCIM_DEFAULT_MAPPING: Readonly<Record<string, MappingRule>> = {
  userName: 'userName',
  givenName: 'name.givenName',
  familyName: 'name.familyName',
  displayName: 'displayName',
  email: 'http://wso2.org/claims/emailaddress',
  phoneNumber: 'http://wso2.org/claims/telephone',
  title: 'title',
  active: 'active',
  department: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
  employeeNumber: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber',
};

export const SCIM_DEFAULT_GROUP_MAPPING: Readonly<Record<string, MappingRule>> = { displayName: 'displayName' };

// Bulk groups at most this many jobs per provisionBatch call; each call is split further by the target's own maxOperations.
const BATCH_MAX_OPERATIONS = 1000;

/** userName is compared ignoring case (RFC 7643 caseExact false); any attribute path can be filtered on. */
const SCIM_MATCHING = {
  defaults: [{ remote: 'userName' }, { remote: 'externalId' }],
  accountNameField: 'userName',
  caseInsensitive: true,
  caseExactFields: ['externalId', 'id'],
};

export const scim2Connector = defineConnector({
  type: 'scim2',
  displayName: 'SCIM 2.0 service',
  description:
    'Users, groups and memberships on any SCIM 2.0 service provider (RFC 7643/7644), with PATCH and Bulk when the service offers them.',
  configSchema: scimConfigSchema,
  secretFields: SCIM_SECRET_FIELDS,
  capabilities: { users: true, groups: true, passwords: true, batch: { maxOperations: BATCH_MAX_OPERATIONS }, read: { groups: true } },
  defaultMapping: SCIM_DEFAULT_MAPPING,
  defaultGroupMapping: SCIM_DEFAULT_GROUP_MAPPING,
  matching: SCIM_MATCHING,
  create: (config, ctx) => new ScimConnector(config, SCIM2, ctx),
});

export const scim11Connector = defineConnector({
  type: 'scim11',
  displayName: 'SCIM 1.1 service',
  description:
    'Users, groups and memberships on a SCIM 1.1 service provider (urn:scim:schemas:core:1.0), e.g. WSO2 Identity Server /wso2/scim.',
  configSchema: scimConfigSchema,
  secretFields: SCIM_SECRET_FIELDS,
  capabilities: { users: true, groups: true, passwords: true, read: { groups: true } },
  defaultMapping: SCIM_DEFAULT_MAPPING,
  defaultGroupMapping: SCIM_DEFAULT_GROUP_MAPPING,
  matching: SCIM_MATCHING,
  create: (config, ctx) => new ScimConnector(config, SCIM11, ctx),
});
