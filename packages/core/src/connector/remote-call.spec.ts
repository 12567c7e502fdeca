import { CallDeadline } from './remote-call.js';

describe('CallDeadline', () => {
  it('aborts even when its timer fires before the clock says the deadline has come', async () => {
    // A clock that runs at half speed: every timer fires "early" by it, as a wall clock behind the monotonic one does.
    const start = Date.now();
    const clock = { now: () => start + (Date.now() - start) / 2, sleep: async () => undefined };
    const deadline = new CallDeadline(clock.now() + 40, clock, () => 'the job lease ends');
    const aborted = await new Promise<boolean>((resolve) => {
      const giveUp = setTimeout(() => resolve(false), 2000);
      deadline.signal.addEventListener('abort', () => {
        clearTimeout(giveUp);
        resolve(true);
      });
    });
    deadline.dispose();
    expect(aborted).toBe(true);
    expect(clock.now()).toBeGreaterThanOrEqual(start + 40);
    expect((deadline.signal.reason as Error).message).toBe('the job lease ends');
  });
});
