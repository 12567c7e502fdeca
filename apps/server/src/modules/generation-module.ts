import { ContainerModule } from 'inversify';
import { asServiceId, token, TOKENS, type Manifest } from '@provisio/core';
import { SCIM_AUTHENTICATOR } from '@provisio/scim-inbound';
import { verifiedClientSubject } from '../auth/client-certificate.js';
import { CredentialVerifier } from '../auth/credential-verifier.js';

/** The admin API's credentials (`admin.auth`); plugin routes that are not public sit behind them too. */
export const ADMIN_VERIFIER = token<CredentialVerifier>('server.AdminVerifier');

/**
 * One configuration's own values, for its generation's container (a child of
 * the server's): its manifest, which hides the server's first one, and the
 * credentials of SCIM inbound and of the admin API (a reload may change both).
 */
export function generationModule(manifest: Manifest): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(asServiceId(TOKENS.Manifest)).toConstantValue(manifest);
    bind(asServiceId(ADMIN_VERIFIER)).toDynamicValue(() => new CredentialVerifier(manifest.admin.auth));
    bind(asServiceId(SCIM_AUTHENTICATOR)).toDynamicValue(() => {
      const verifier = new CredentialVerifier(manifest.inbound.scim.auth);
      return (header, request) => verifier.verify(header, verifiedClientSubject(request?.socket));
    });
  });
}
