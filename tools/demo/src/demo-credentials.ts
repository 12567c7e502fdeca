// Every credential the demo needs, generated at start (tokens may come from the environment).
import { randomBytes } from 'node:crypto';
import { generateGoogleServiceAccountKey } from '@provisio/emulators';

export interface DemoCredentials {
  scimToken: string;
  adminToken: string;
  /** True when the token was generated here rather than read from the environment. */
  scimTokenGenerated: boolean;
  adminTokenGenerated: boolean;
  scimAppToken: string;
  salesforceClientSecret: string;
  salesforcePassword: string;
  salesforceSecurityToken: string;
  googlePrivateKeyPem: string;
  googlePublicKeyPem: string;
}

const token = (): string => randomBytes(18).toString('base64url');

export function demoCredentials(env: NodeJS.ProcessEnv): DemoCredentials {
  const googleKey = generateGoogleServiceAccountKey();
  const scimToken = env['PROVISIO_SCIM_TOKEN'] || undefined;
  const adminToken = env['PROVISIO_ADMIN_TOKEN'] || undefined;
  return {
    scimToken: scimToken ?? token(),
    adminToken: adminToken ?? token(),
    scimTokenGenerated: scimToken === undefined,
    adminTokenGenerated: adminToken === undefined,
    scimAppToken: token(),
    salesforceClientSecret: token(),
    salesforcePassword: token(),
    salesforceSecurityToken: token(),
    googlePrivateKeyPem: googleKey.privateKeyPem,
    googlePublicKeyPem: googleKey.publicKeyPem,
  };
}
