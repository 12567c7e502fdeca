/** The tenant of a Provisio without `tenants:` in its manifest, as WSO2 Identity Server names its super tenant. */
export const DEFAULT_TENANT = 'carbon.super';

/** A tenant domain as the manifest, the store and the `/t/<domain>/` paths accept it: a lowercase DNS name. */
export const TENANT_DOMAIN = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
