import { MASK, SecretScrubber, collectValuesAt, maskSecrets } from './secret-redaction.js';

describe('maskSecrets', () => {
  it('masks fields at the given paths, through arrays, and leaves the input untouched', () => {
    const config = { clientId: 'id', clientSecret: 's', auth: [{ token: 't1' }, { token: 't2', user: 'u' }] };
    expect(maskSecrets(config, ['clientSecret', 'auth.*.token'])).toEqual({
      clientId: 'id',
      clientSecret: MASK,
      auth: [{ token: MASK }, { token: MASK, user: 'u' }],
    });
    expect(config.clientSecret).toBe('s');
  });

  it('masks a secret’s value where it also appears inside another field', () => {
    const config = { apiKey: 'k-1234567', url: 'https://api.example/?key=k-1234567', note: 'plain', retries: 3 };
    expect(maskSecrets(config, ['apiKey'])).toEqual({ apiKey: MASK, url: `https://api.example/?key=${MASK}`, note: 'plain', retries: 3 });
  });
});

describe('collectValuesAt', () => {
  it('finds string values at wildcard paths', () => {
    expect(collectValuesAt({ a: [{ t: 'x' }, { t: 'y' }, {}] }, ['a.*.t'])).toEqual(['x', 'y']);
  });
});

describe('SecretScrubber', () => {
  it('replaces raw and JSON-escaped forms of every secret, longest first', () => {
    const scrubber = new SecretScrubber(['pa"ss', 'pa"ssword-long']);
    const line = JSON.stringify({ msg: 'login with pa"ssword-long failed', other: 'pa"ss' });
    const out = scrubber.scrub(line);
    expect(out).not.toContain('pa\\"ss');
    expect(out).toBe(JSON.stringify({ msg: `login with ${MASK} failed`, other: MASK }));
  });

  it('ignores empty secrets', () => {
    expect(new SecretScrubber(['']).scrub('anything')).toBe('anything');
  });
});
