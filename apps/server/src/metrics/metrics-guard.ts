import type { RequestHandler } from 'express';
import type { Manifest } from '@provisio/core';
import { fail } from '../admin/http-helpers.js';
import { CredentialVerifier } from '../auth/credential-verifier.js';
import { requireCredentials } from '../auth/require-credentials.js';

/**
 * GET /metrics sits behind the admin API's credentials (`admin.auth`) of the running
 * configuration: a reload that changes them applies to the next scrape.
 */
export function adminCredentialsGuard(currentManifest: () => Manifest): RequestHandler {
  const guards = new WeakMap<Manifest, RequestHandler>();
  return (req, res, next) => {
    const manifest = currentManifest();
    let guard = guards.get(manifest);
    if (!guard) {
      guard = requireCredentials(new CredentialVerifier(manifest.admin.auth), 'provisio-admin', fail);
      guards.set(manifest, guard);
    }
    guard(req, res, next);
  };
}
