import { pinnedVersions } from '../src/pinned-versions.ts';

describe('pinnedVersions', () => {
  const lockfile = {
    lockfileVersion: 3,
    packages: {
      '': { name: 'provisio' },
      'packages/core': { version: '0.1.0' },
      'node_modules/@provisio/core': { link: true },
      'node_modules/express': { version: '4.22.3' },
      'node_modules/@scope/thing': { version: '1.0.0' },
      'node_modules/typescript': { version: '5.9.3', dev: true },
      'node_modules/debug': { version: '2.6.9' },
      'node_modules/express/node_modules/debug': { version: '4.4.0' },
      'node_modules/send/node_modules/ms': { version: '2.1.3' },
    },
  };

  it('pins each production package the lockfile resolves to one version, nested or not', () => {
    expect(pinnedVersions(lockfile).overrides).toEqual({ '@scope/thing': '1.0.0', express: '4.22.3', ms: '2.1.3' });
  });

  it('leaves dev-only packages and our own workspaces and links out', () => {
    const { overrides, unpinned } = pinnedVersions(lockfile);
    expect(Object.keys(overrides)).not.toEqual(expect.arrayContaining(['typescript']));
    expect([...Object.keys(overrides), ...unpinned].some((name) => name.includes('provisio') || name.includes('packages/'))).toBe(false);
  });

  it('names the packages held in several versions instead of pinning one of them', () => {
    expect(pinnedVersions(lockfile).unpinned).toEqual(['debug']);
  });

  it('refuses a lockfile older than npm 7', () => {
    expect(() => pinnedVersions({ lockfileVersion: 1 })).toThrow('package-lock.json must be lockfileVersion 2 or 3');
  });
});
