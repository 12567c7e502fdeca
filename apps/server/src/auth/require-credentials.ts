import type { NextFunction, Request, Response } from 'express';
import { verifiedClientSubject } from './client-certificate.js';
import type { CredentialVerifier, Principal } from './credential-verifier.js';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** 401 with a WWW-Authenticate challenge unless the request carries configured credentials. */
export function requireCredentials(
  verifier: CredentialVerifier,
  realm: string,
  onDenied: (res: Response, status: 401 | 403, message: string) => void,
) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const principal = verifier.verify(req.headers.authorization, verifiedClientSubject(req.socket));
    if (!principal) {
      res.setHeader('WWW-Authenticate', `Bearer realm="${realm}"`);
      onDenied(
        res,
        401,
        verifier.configured ? 'missing or invalid credentials' : `no credentials are configured for ${realm}; add some to the manifest`,
      );
      return;
    }
    const reading = req.method === 'GET' || req.method === 'HEAD';
    if (principal.readOnly && !reading) {
      onDenied(res, 403, `${principal.name} has read-only access`);
      return;
    }
    req.principal = principal;
    next();
  };
}
