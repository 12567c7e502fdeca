// Conformance options for a ToyConnector (or a broken subclass) with every hook wired.
import type { ConformanceFixture, ConformanceOptions } from '../src/index.js';
import { TOY_PAGE_SIZE, ToyConnector } from './toy-connector.js';
import { ToyTarget } from './toy-target.js';

export const TOY_SECRET = 'toy-api-key-5f1e2d';

export interface ToyFixture extends ConformanceFixture {
  target: ToyTarget;
}

export type ToyConnectorClass = new (target: ToyTarget, apiKey: string, deleteMode: 'delete' | 'deactivate') => ToyConnector;

export function toyOptions(
  deleteMode: 'delete' | 'deactivate',
  Connector: ToyConnectorClass = ToyConnector,
): ConformanceOptions<ToyFixture> {
  return {
    name: `toy connector (${deleteMode})`,
    setup: async () => {
      const target = new ToyTarget();
      return { target, connector: new Connector(target, TOY_SECRET, deleteMode), secrets: [TOY_SECRET] };
    },
    sampleUser: (n) => ({
      localId: `local-${n}`,
      user: { userName: `user${n}@example.com` },
      attributes: { userName: `user${n}@example.com`, title: 'Engineer' },
      accountName: `user${n}`,
    }),
    changeUser: () => ({ title: 'Principal engineer' }),
    capabilities: { groups: true, passwords: true, deleteMode },
    faults: {
      dropNextResponse: (f) => f.target.dropNext(),
      failNext: (f, status, { retryAfterSec }) => f.target.failNext(status, retryAfterSec),
      rejectUser: (f, payload, failure) => void f.target.refusedUserNames.set(payload.accountName ?? '', failure),
      makeUnreachable: (f) => {
        f.target.unreachable = true;
      },
    },
    read: {
      pageSize: TOY_PAGE_SIZE,
      seedUsers: (f, count) => Array.from({ length: count }, () => f.target.seedUser()),
      removeUser: (f, id) => void f.target.users.delete(id),
      groups: true,
    },
    inspect: {
      user: async (f, id) => {
        const account = f.target.users.get(id);
        return account ? { active: account.active, attributes: account.attributes } : null;
      },
      group: async (f, id) => {
        const group = f.target.groups.get(id);
        return group ? { name: group.name, memberRemoteIds: [...group.members] } : null;
      },
    },
  };
}
