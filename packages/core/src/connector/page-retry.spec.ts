import { PermanentError, TransientError } from '../errors.js';
import { fetchPage } from './page-retry.js';

const clock = () => {
  const slept: number[] = [];
  return { slept, now: () => 0, sleep: async (ms: number) => void slept.push(ms) };
};

describe('fetchPage', () => {
  it('fetches again after transient failures, waiting Retry-After when given, else a doubling pause', async () => {
    const c = clock();
    const failures = [new TransientError('503', { retryAfterMs: 7000 }), new TransientError('ECONNRESET'), new TransientError('429')];
    let calls = 0;
    const page = await fetchPage(
      async () => {
        calls += 1;
        const failure = failures.shift();
        if (failure) throw failure;
        return 'page';
      },
      { clock: c, baseDelayMs: 100 },
    );
    expect([page, calls]).toEqual(['page', 4]);
    expect(c.slept).toEqual([7000, 100, 200]);
  });

  it('gives up after the last attempt, and never retries a permanent error', async () => {
    const c = clock();
    let calls = 0;
    const busy = fetchPage(
      async () => {
        calls += 1;
        throw new TransientError('503');
      },
      { clock: c, attempts: 3 },
    );
    await expect(busy).rejects.toThrow('503');
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      fetchPage(
        async () => {
          calls += 1;
          throw new PermanentError('400 invalid page token');
        },
        { clock: c },
      ),
    ).rejects.toThrow('400 invalid page token');
    expect(calls).toBe(1);
  });
});
