import type { JobRecord } from '@provisio/core/engine';
import { jobView } from './admin-views.js';

const job: JobRecord = {
  id: '7',
  instanceId: 'scim-app',
  entityType: 'user',
  localId: 'u1',
  action: 'sync',
  reason: 'created',
  maxAttempts: 5,
  status: 'running',
  attempts: 1,
  runAt: Date.parse('2026-12-02T10:00:00.000Z'),
  createdAt: '2026-12-02T10:00:00.000Z',
  updatedAt: '2026-12-02T10:00:01.000Z',
  claimedBy: 'worker-a',
  leaseUntil: Date.parse('2026-12-02T10:00:31.000Z'),
  history: [{ attempt: 1, startedAt: '2026-12-02T10:00:01.000Z' }],
};

describe('jobView', () => {
  it('shows a running job’s lease holder and expiry as an ISO instant', () => {
    expect(jobView(job)).toMatchObject({
      id: '7',
      connector: 'scim-app',
      status: 'running',
      claimedBy: 'worker-a',
      leaseUntil: '2026-12-02T10:00:31.000Z',
      runAt: '2026-12-02T10:00:00.000Z',
    });
  });

  it('shows no lease once the job is no longer running, even if the store kept the old one', () => {
    expect(jobView({ ...job, status: 'succeeded' })).toMatchObject({ claimedBy: null, leaseUntil: null });
    expect(jobView({ ...job, status: 'pending', claimedBy: undefined, leaseUntil: undefined })).toMatchObject({
      claimedBy: null,
      leaseUntil: null,
    });
  });
});
