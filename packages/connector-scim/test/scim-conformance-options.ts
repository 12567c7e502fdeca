// The connector-testkit options for a SCIM connector against the emulator, every hook wired.
import type { ConformanceOptions } from '@provisio/connector-testkit';
import { flattenUser, groupById, sampleUser, scimFixture, userById, type FixtureOptions, type ScimFixture } from './scim-test-support.js';

const READ_PAGE = 5;
let seeds = 0;

export function scimConformance(
  name: string,
  fixture: FixtureOptions,
  deleteMode: 'delete' | 'deactivate',
): ConformanceOptions<ScimFixture> {
  return {
    name,
    // A small filter.maxResults, so that the read cases page with a dozen users.
    setup: () =>
      scimFixture({ ...fixture, emulator: { maxResults: READ_PAGE, ...fixture.emulator }, config: { ...fixture.config, deleteMode } }),
    sampleUser,
    changeUser: () => ({ title: 'Principal engineer', familyName: 'Byron' }),
    capabilities: { groups: true, passwords: true, deleteMode },
    faults: {
      dropNextResponse: (f) => f.emulator.faults.dropNextResponses(1),
      failNext: (f, status, { retryAfterSec }) => f.emulator.faults.failNext(1, status, { retryAfterSec }),
      rejectUser: (f, payload, { status, detail }) =>
        f.emulator.faults.refuseAccount(payload.accountName ?? '', { status, message: detail }),
      makeUnreachable: (f) => f.teardown(),
    },
    read: {
      pageSize: READ_PAGE,
      seedUsers: (f, count) =>
        Array.from({ length: count }, () => String(f.emulator.state.seedUser({ userName: `seed${++seeds}@example.com` })['id'])),
      removeUser: (f, id) => void f.emulator.state.removeResource(id),
      groups: true,
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
