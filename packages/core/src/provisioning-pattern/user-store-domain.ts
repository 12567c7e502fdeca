/**
 * WSO2 user names carry their user store as a prefix: `SECONDARY/john`. A name without a
 * prefix belongs to the default (primary) store.
 */
export function splitUserStoreDomain(userName: string): { domain?: string; name: string } {
  const slash = userName.indexOf('/');
  if (slash <= 0) return { name: slash === 0 ? userName.slice(1) : userName };
  return { domain: userName.slice(0, slash), name: userName.slice(slash + 1) };
}
