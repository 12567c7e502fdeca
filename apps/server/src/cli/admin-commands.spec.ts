import { leaseText } from './admin-commands.js';

describe('the LEASE column of provisio jobs', () => {
  const now = Date.parse('2026-12-02T10:00:00.000Z');

  it('names the worker and when its lease ends', () => {
    expect(leaseText({ claimedBy: 'worker-a', leaseUntil: '2026-12-02T10:00:30.000Z' }, now)).toBe(
      'worker-a until 2026-12-02T10:00:30.000Z',
    );
  });

  it('marks a lease that ran out: the job is stuck until another worker takes it over', () => {
    expect(leaseText({ claimedBy: 'worker-a', leaseUntil: '2026-12-02T09:59:00.000Z' }, now)).toBe(
      'worker-a until 2026-12-02T09:59:00.000Z (expired)',
    );
  });

  it('is empty for a job nobody holds', () => {
    expect(leaseText({ claimedBy: null, leaseUntil: null }, now)).toBe('');
  });
});
