// The connector-testkit options for a SCIM connector against the emulator, every hook wired.
import type { ConformanceOptions } from '@provisio/connector-testkit';
import { flattenUser, groupById, sampleUser, scimFixture, userById, type FixtureOptions, type ScimFixture } from './scim-test-support.js';

export function scimConformance(name: string, fixture: FixtureOptions, deleteMode: 'delete' | 'deactivate'): ConformanceOptions<ScimFixture> {
  return {
    name,
    setup: () => scimFixture({ ...fixture, config: { ...fixture.config, deleteMode } }),
    sampleUser,
    changeUser: () => ({ title: 'Principal engineer', familyName: 'Byron' }),
    capabilities: { groups: true, passwords: true, deleteMode },
    faults: {
      dropNextResponse: (f) => f.emulator.faults.dropNextResponses(1),
      failNext: (f, status, { retryAfterSec }) => f.emulator.faults.failNext(1, status, retryAfterSec),
      rejectUser: (f, payload, { status, detail }) => f.emulator.faults.failUserName(payload.accountName ?? '', { status, detail }),
      makeUnreachable: (f) => f.teardown(),
    },
    inspect: {
      user: async (f, id) => {
        const user = userById(f.emulator, id);
        return user ? flattenUser(user) : null;
      },
      group: async (f, id) => {
        const group = groupById(f.emulator, id);
        if (!group) return null;
        const members = Array.isArray(group['members']) ? (group['members'] as { value: string }[]) : [];
        return { name: String(group['displayName']), memberRemoteIds: members.map((m) => m.value) };
      },
    },
  };
}
