import type { RequestHandler } from 'express';
import type { Logger } from '@provisio/core';
import type { Manifest } from '@provisio/core/engine';
import { fail } from '../admin/http-helpers.js';
import { Authenticator } from '../auth/authenticator.js';
import { KeySets } from '../auth/jwt-verifier.js';
import { requireCredentials } from '../auth/require-credentials.js';

/**
 * GET /metrics sits behind the admin API's credentials (`admin.auth`, JWTs included) of the
 * running configuration: a reload that changes them applies to the next scrape.
 */
export function adminCredentialsGuard(currentManifest: () => Manifest, logger: Logger): RequestHandler {
  const guards = new WeakMap<Manifest, RequestHandler>();
  const keySets = new KeySets();
  return (req, res, next) => {
    const manifest = currentManifest();
    let guard = guards.get(manifest);
    if (!guard) {
      guard = requireCredentials(new Authenticator(manifest.admin.auth, 'provisio-admin', { keySets, logger }), fail);
      guards.set(manifest, guard);
    }
    guard(req, res, next);
  };
}
