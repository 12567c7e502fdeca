import { authSchema } from '@provisio/core/engine';
import { configuredSubjectKey, subjectKey } from './client-certificate.js';
import { CredentialVerifier } from './credential-verifier.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('subject keys', () => {
  it('compare a manifest clientSubject with a certificate subject regardless of order, spaces and type case', () => {
    expect(configuredSubjectKey('CN=okta-scim, o=Example')).toBe(
      subjectKey([
        ['O', 'Example'],
        ['CN', 'okta-scim'],
      ]),
    );
    expect(configuredSubjectKey('CN=okta-scim')).not.toBe(
      subjectKey([
        ['O', 'Example'],
        ['CN', 'okta-scim'],
      ]),
    );
    expect(configuredSubjectKey('CN=okta-scim')).not.toBe(configuredSubjectKey('CN=Okta-scim'));
  });
});

describe('CredentialVerifier with clientSubject', () => {
  const verifier = new CredentialVerifier(
    authSchema.parse({
      bearer: [
        { name: 'okta', token: 'okta-token-0123456789', clientSubject: 'CN=okta-scim,O=Example' },
        { name: 'hr', token: 'hr-token-01234567890' },
      ],
      basic: [{ username: 'admin', password: 'admin-password', clientSubject: 'CN=ops' }],
    }),
  );
  const okta = configuredSubjectKey('O=Example,CN=okta-scim');

  it('accepts a bound credential only with a verified certificate of its subject', () => {
    expect(verifier.verify('Bearer okta-token-0123456789', okta)).toEqual({ name: 'okta', readOnly: false });
    expect(verifier.verify('Bearer okta-token-0123456789')).toBeUndefined();
    expect(verifier.verify('Bearer okta-token-0123456789', configuredSubjectKey('CN=someone-else,O=Example'))).toBeUndefined();
    expect(verifier.verify(basic('admin', 'admin-password'), configuredSubjectKey('CN=ops'))).toEqual({ name: 'admin', readOnly: false });
    expect(verifier.verify(basic('admin', 'admin-password'), okta)).toBeUndefined();
  });

  it('accepts an unbound credential with or without a certificate, and never a wrong secret', () => {
    expect(verifier.verify('Bearer hr-token-01234567890')).toEqual({ name: 'hr', readOnly: false });
    expect(verifier.verify('Bearer hr-token-01234567890', okta)).toEqual({ name: 'hr', readOnly: false });
    expect(verifier.verify('Bearer wrong-token-0123456789', okta)).toBeUndefined();
  });
});
