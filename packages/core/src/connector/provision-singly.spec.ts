import { PermanentError } from '../errors.js';
import type { OutboundConnector } from './outbound-connector.js';
import { provisionSingly } from './provision-singly.js';

const connector = {
  createUser: async () => ({ remoteId: 'r1' }),
  updateUser: async () => undefined,
  deleteUser: async () => ({ mode: 'deactivated' as const }),
} as unknown as OutboundConnector;

describe('provisionSingly', () => {
  const user = { localId: 'u1', user: { userName: 'ada' }, attributes: {} };

  it('runs each kind through the single-call method and reports its outcome', async () => {
    expect(await provisionSingly(connector, { kind: 'createUser', jobId: 'a', payload: user })).toEqual({
      jobId: 'a',
      ok: true,
      ref: { remoteId: 'r1' },
    });
    expect(await provisionSingly(connector, { kind: 'updateUser', jobId: 'b', payload: { ...user, remoteId: 'r1', changed: {} } })).toEqual(
      { jobId: 'b', ok: true },
    );
    expect(await provisionSingly(connector, { kind: 'deleteUser', jobId: 'c', payload: { localId: 'u1', remoteId: 'r1' } })).toEqual({
      jobId: 'c',
      ok: true,
      deletion: { mode: 'deactivated' },
    });
  });

  it('turns a thrown error into that job’s failed outcome', async () => {
    const failing = {
      ...connector,
      createUser: async () => {
        throw new PermanentError('nope');
      },
    } as OutboundConnector;
    const outcome = await provisionSingly(failing, { kind: 'createUser', jobId: 'a', payload: user });
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error.message).toBe('nope');
  });
});
