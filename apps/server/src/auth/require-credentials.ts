import type { NextFunction, Request, Response } from 'express';
import type { AdminAuthenticator } from './tenant-admin-gate.js';
import type { Principal } from './credential-verifier.js';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/**
 * Refuses (401 with a WWW-Authenticate challenge, 403, 404 for another tenant's admin, 429 while throttled, 503
 * without the JWKS) unless the request carries accepted credentials.
 */
export function requireCredentials(
  authenticator: AdminAuthenticator,
  onDenied: (res: Response, status: 401 | 403 | 404 | 429 | 503, message: string) => void,
) {
  return (req: Request, res: Response, next: NextFunction): void => {
    authenticator.authenticate(req.headers.authorization, req).then((outcome) => {
      if (!outcome.ok) {
        for (const [name, value] of Object.entries(outcome.headers)) res.setHeader(name, value);
        onDenied(res, outcome.status, outcome.message);
        return;
      }
      const reading = req.method === 'GET' || req.method === 'HEAD';
      if (outcome.principal.readOnly && !reading) {
        onDenied(res, 403, `${outcome.principal.name} has read-only access`);
        return;
      }
      req.principal = outcome.principal;
      next();
    }, next);
  };
}
