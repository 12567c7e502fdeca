import { googleConfigSchema } from './google-config.js';
import { primaryEmailOf, randomPassword, toInsertBody, toPatchBody } from './google-user-mapper.js';

const config = googleConfigSchema.parse({
  domain: 'mygoogledomain.com',
  adminEmail: 'om@mygoogledomain.com',
  privateKey: { format: 'json', json: '{}' },
  orgUnitPath: '/Staff',
});
const user = { userName: 'ada' };

describe('google user mapper', () => {
  it('takes the primary email from the pattern (adding the domain) before the mapping', () => {
    expect(primaryEmailOf({ accountName: 'ada', attributes: { primaryEmail: 'x@y.com' } }, 'd.com')).toBe('ada@d.com');
    expect(primaryEmailOf({ accountName: 'Ada@D.com', attributes: {} }, 'd.com')).toBe('ada@d.com');
    expect(primaryEmailOf({ attributes: { primaryEmail: ['Ada@d.com'] } }, 'd.com')).toBe('ada@d.com');
    expect(primaryEmailOf({ attributes: {} }, 'd.com')).toBeUndefined();
  });

  it('builds an insert body with a strong random password and the configured org unit', () => {
    const body = toInsertBody(
      { localId: 'l', user, attributes: { primaryEmail: 'ada@mygoogledomain.com', givenName: 'Ada', familyName: 'L', mobile: '+1555' } },
      config,
    );
    expect(body).toMatchObject({
      orgUnitPath: '/Staff',
      changePasswordAtNextLogin: false,
      phones: [{ value: '+1555', type: 'mobile', primary: true }],
    });
    expect(body.password).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(randomPassword()).not.toBe(randomPassword());
  });

  it('patches changed fields only, rebuilds lists from current values, and never sends a password', () => {
    const attributes = { primaryEmail: 'ada@mygoogledomain.com', givenName: 'Ada', familyName: 'L', title: 'Lead', department: 'R&D' };
    const body = toPatchBody(
      { localId: 'l', user, attributes, remoteId: '1', changed: { title: 'Lead' }, password: 'ignored-on-update' },
      config,
    );
    expect(body).toEqual({ organizations: [{ title: 'Lead', department: 'R&D', primary: true, type: 'work' }] });
  });

  it('clears what disappeared locally, but never a required name', () => {
    const body = toPatchBody(
      {
        localId: 'l',
        user,
        attributes: {},
        remoteId: '1',
        changed: { externalId: null, orgUnitPath: null, givenName: null, recoveryEmail: null },
      },
      config,
    );
    expect(body).toEqual({ externalIds: [], orgUnitPath: '/Staff', recoveryEmail: '' });
  });

  it('reactivates with suspended: false and re-sends the pattern address', () => {
    const body = toPatchBody(
      { localId: 'l', user, attributes: {}, accountName: 'ada', remoteId: '1', changed: {}, reactivate: true },
      config,
    );
    expect(body).toEqual({ primaryEmail: 'ada@mygoogledomain.com', suspended: false });
  });
});
