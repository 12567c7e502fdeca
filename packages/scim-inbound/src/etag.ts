import { ScimError } from './scim-error.js';

/** ETags are core's versions: `W/"<version>"` (RFC 7644 §3.14). */
export const etagOf = (version: string | undefined): string | undefined => version;

export function versionOf(etag: string | undefined): number | undefined {
  const match = etag === undefined ? null : /^(?:W\/)?"(\d+)"$/.exec(etag.trim());
  return match ? Number(match[1]) : undefined;
}

/**
 * The version an If-Match header demands: undefined for none or `*`; a header that
 * names no version this server could have issued can never match (412).
 */
export function expectedVersion(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '' || ifMatch.trim() === '*') return undefined;
  const versions = ifMatch
    .split(',')
    .map((tag) => versionOf(tag))
    .filter((v): v is number => v !== undefined);
  if (versions.length === 0) throw new ScimError(412, undefined, `If-Match ${ifMatch} does not match the current version`);
  return versions[0];
}

/** If-None-Match on GET: true when the client's copy is current (answer 304). */
export function notModified(ifNoneMatch: string | undefined, current: string | undefined): boolean {
  if (!ifNoneMatch || !current) return false;
  return (
    ifNoneMatch.trim() === '*' ||
    ifNoneMatch.split(',').some((tag) => versionOf(tag) !== undefined && versionOf(tag) === versionOf(current))
  );
}
