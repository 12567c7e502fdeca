import { adminBaseFor, consolePathOf, tenantOfPath } from '../app/src/lib/api.js';
import { hrefOf, parseRoute, type Route } from '../app/src/lib/route.js';

describe('console routes', () => {
  it('parses every page from the hash and builds the same hash back', () => {
    const routes: Route[] = [
      { page: 'overview' },
      { page: 'connector', id: 'scim app/1' },
      { page: 'jobs', status: 'failed', connector: 'scim-app', user: 'u-1' },
      { page: 'identities', kind: 'users', q: 'ada lovelace' },
      { page: 'identities', kind: 'groups', q: undefined },
      { page: 'user', id: 'c6ad72c9' },
      { page: 'group', id: 'g-1' },
      { page: 'audit', entity: 'c6ad72c9' },
    ];
    for (const route of routes) {
      const parsed = parseRoute(hrefOf(route));
      expect(JSON.parse(JSON.stringify(parsed))).toEqual(JSON.parse(JSON.stringify(route)));
    }
  });

  it('falls back to the overview for unknown or broken hashes', () => {
    expect(parseRoute('')).toEqual({ page: 'overview' });
    expect(parseRoute('#/nowhere')).toEqual({ page: 'overview' });
    expect(parseRoute('#/users/%E0%A4%A')).toEqual({ page: 'user', id: '%E0%A4%A' });
    expect(parseRoute('#/jobs?status=')).toEqual({ page: 'jobs', status: undefined, connector: undefined, user: undefined });
  });
});

describe('console pages of a tenant', () => {
  it('talk to the admin API of the tenant their path names, else the default tenant', () => {
    // Each page's admin API base, checked all at once so that a failure shows the whole table.
    const adminBases = {
      '/console/': '/admin/v1',
      '/console': '/admin/v1',
      '/t/acme.com/console/': '/t/acme.com/admin/v1',
      '/t/acme.com/console': '/t/acme.com/admin/v1',
    };
    expect(Object.fromEntries(Object.keys(adminBases).map((page) => [page, adminBaseFor(page)]))).toEqual(adminBases);
    expect(tenantOfPath('/t/acme.com/consoles/')).toBeUndefined();
    expect(consolePathOf('acme.com', false)).toBe('/t/acme.com/console/');
    expect(consolePathOf('carbon.super', true)).toBe('/console/');
  });
});
