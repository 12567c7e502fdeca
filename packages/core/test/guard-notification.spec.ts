// A tripped deletion guard reaches operators through the notification channels, once per trip.
import { silentLogger, systemClock, type Notification } from '../src/index.js';
import { NotificationDispatcher } from '../src/engine.js';
import { pipelineFixturePerTest } from './recording-connector.js';

const actor = { actor: 'test' };
const pipelineFixture = pipelineFixturePerTest();

describe('the deletion guard and notifications', () => {
  it('publishes one guard.triggered with the held count, threshold and window when deletes exceed the threshold', async () => {
    const sent: Notification[] = [];
    const dispatcher = new NotificationDispatcher([{ name: 'capture', send: async (n) => void sent.push(n) }], systemClock, silentLogger());
    const fixture = await pipelineFixture([{ id: 'crm', deprovisionGuard: { threshold: 3, window: '1h' } }], { notifications: dispatcher });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await fixture.runtime.identities.createUser({ userName: `u${i}` }, actor)).resource.id as string);
    await fixture.settle();
    for (const id of ids) await fixture.runtime.identities.deleteUser(id, actor);
    await fixture.settle();
    await dispatcher.whenIdle();

    expect((await fixture.store.jobCounts('crm')).held).toBe(3);
    expect(fixture.targets.crm.count('deleteUser')).toBe(3);
    const trips = sent.filter((n) => n.kind === 'guard.triggered');
    expect(trips).toHaveLength(1);
    expect(trips[0]).toMatchObject({ connectorId: 'crm', severity: 'error', details: { threshold: '3', windowSeconds: 3600 } });
    // Read just after the commit that tripped it: that job at least, at most every held one.
    expect(trips[0].details?.['held']).toBeGreaterThanOrEqual(1);
    expect(trips[0].details?.['held']).toBeLessThanOrEqual(3);
    dispatcher.stop();
  });
});
