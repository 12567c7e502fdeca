import { z } from '@provisio/core';

// Sample values are those of WSO2's "SCIM 2.0 Provisioning Configuration" table.
const authSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('basic'),
    username: z.string().min(1).describe('WSO2 "Username": the username of the SCIM application, e.g. Admin.'),
    password: z.string().min(1).describe('WSO2 "Password": the password of the SCIM application. Secret.'),
  }),
  z.object({
    type: z.literal('bearer'),
    token: z.string().min(1).describe('A static bearer token, sent as "Authorization: Bearer <token>". Secret.'),
  }),
  z.object({
    type: z.literal('apiKey'),
    headerName: z.string().min(1).default('X-API-Key').describe('The header carrying the key (WSO2 drops it; we send exactly this name).'),
    key: z.string().min(1).describe('The API key. Secret.'),
  }),
  z.object({
    type: z.literal('oauth2'),
    tokenUrl: z.url().describe('OAuth 2.0 token endpoint (client credentials grant), e.g. https://localhost:9443/oauth2/token.'),
    clientId: z.string().min(1).describe('OAuth 2.0 client id of Provisio at the token endpoint.'),
    clientSecret: z.string().min(1).describe('Secret.'),
    scope: z.string().optional().describe('Space-separated scopes to request, e.g. "internal_user_mgt_create internal_group_mgt_update".'),
  }),
  z.object({ type: z.literal('none') }),
]);

export const scimConfigSchema = z
  .strictObject({
    baseUrl: z
      .url()
      .optional()
      .describe('SCIM service root; userEndpoint = baseUrl/Users, groupEndpoint = baseUrl/Groups. E.g. https://localhost:9443/scim2.'),
    userEndpoint: z
      .url()
      .optional()
      .describe(
        'WSO2 "User Endpoint": the SCIM endpoint of the users. SCIM 1.1: https://localhost:9443/wso2/scim/Users, SCIM 2.0: https://localhost:9443/scim2/Users.',
      ),
    groupEndpoint: z
      .url()
      .optional()
      .describe(
        'WSO2 "Group Endpoint": the SCIM endpoint of the groups. SCIM 1.1: https://localhost:9443/wso2/scim/Groups, SCIM 2.0: https://localhost:9443/scim2/Groups.',
      ),
    userStoreDomain: z
      .string()
      .min(1)
      .optional()
      .describe(
        'WSO2 "User Store Domain": the user store users are created in, e.g. Domain. Sent as the "DOMAIN/" prefix of userName (not for PRIMARY, nor when the name already has one).',
      ),
    enablePasswordProvisioning: z
      .boolean()
      .default(true)
      .describe(
        'WSO2 "Enable Password Provisioning" (sample: Selected): send the password received. Core hands the connector a password only when the instance\'s passwordProvisioning is on.',
      ),
    defaultPassword: z
      .string()
      .min(1)
      .optional()
      .describe('WSO2 "Default Password": sent on create when no received password is sent. Secret.'),
    auth: authSchema.default({ type: 'none' }).describe('How to authenticate to the SCIM service.'),
    tls: z
      .strictObject({
        caPem: z.string().min(1).optional().describe('PEM CA certificate(s) to trust, for self-signed targets.'),
        rejectUnauthorized: z.boolean().default(true).describe('Verify the server certificate (leave on; prefer caPem).'),
      })
      .default({ rejectUnauthorized: true }),
    timeoutMs: z.number().int().min(100).max(600_000).default(30_000).describe('Timeout of each HTTP request.'),
    pageSize: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .optional()
      .describe(
        'Resources per page when reading the target (count); default the ServiceProviderConfig filter.maxResults, else 100, never above filter.maxResults.',
      ),
    deleteMode: z.enum(['delete', 'deactivate']).default('delete').describe('Deprovision by DELETE, or by setting active: false.'),
    patch: z
      .enum(['auto', 'always', 'never'])
      .default('auto')
      .describe('auto: PATCH when the ServiceProviderConfig says it is supported, else PUT.'),
    patchFilters: z
      .enum(['auto', 'never'])
      .default('auto')
      .describe(
        'auto: PATCH one value of a multi-valued attribute by its value-filtered path (addresses[type eq "work"].locality), unless the ServiceProviderConfig says filter.supported false or the service answers such a PATCH 400 invalidPath/invalidFilter (then remembered); never: replace the whole attribute with every value the mapping writes in it.',
      ),
    bulk: z
      .enum(['auto', 'never'])
      .default('auto')
      .describe('auto: batch through /Bulk when the ServiceProviderConfig says it is supported (SCIM 2.0).'),
  })
  .refine((c) => c.baseUrl !== undefined || c.userEndpoint !== undefined, { message: 'give baseUrl or userEndpoint' });

export type ScimConfig = z.output<typeof scimConfigSchema>;
export type ScimAuthConfig = ScimConfig['auth'];

export const SCIM_SECRET_FIELDS = ['auth.password', 'auth.token', 'auth.key', 'auth.clientSecret', 'defaultPassword'] as const;

/** The secret values of a config, to scrub from anything a remote echoes back. */
export function secretValues(config: ScimConfig): string[] {
  const auth = config.auth;
  const values = [config.defaultPassword];
  if (auth.type === 'basic') values.push(auth.password);
  if (auth.type === 'bearer') values.push(auth.token);
  if (auth.type === 'apiKey') values.push(auth.key);
  if (auth.type === 'oauth2') values.push(auth.clientSecret);
  return values.filter((v): v is string => v !== undefined && v !== '');
}
