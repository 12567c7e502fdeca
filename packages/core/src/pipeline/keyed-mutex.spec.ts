import { KeyedMutex } from './keyed-mutex.js';

describe('KeyedMutex', () => {
  it('runs bodies of one key one at a time in arrival order, other keys alongside, and forgets idle keys', async () => {
    const mutex = new KeyedMutex();
    const log: string[] = [];
    let inside = 0;
    let most = 0;
    const body = (name: string) => async () => {
      inside += 1;
      most = Math.max(most, inside);
      log.push(`start ${name}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.push(`end ${name}`);
      inside -= 1;
      return name;
    };
    const results = await Promise.all([mutex.run('a', body('a1')), mutex.run('a', body('a2')), mutex.run('a', body('a3'))]);
    expect(results).toEqual(['a1', 'a2', 'a3']);
    expect(most).toBe(1);
    expect(log).toEqual(['start a1', 'end a1', 'start a2', 'end a2', 'start a3', 'end a3']);
    expect(mutex.size).toBe(0);

    most = 0;
    await Promise.all([mutex.run('a', body('a')), mutex.run('b', body('b'))]);
    expect(most).toBe(2);
  });

  it('a body that throws releases the key for the next one', async () => {
    const mutex = new KeyedMutex();
    const failed = mutex.run('a', async () => {
      throw new Error('boom');
    });
    const next = mutex.run('a', async () => 'next');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
    expect(mutex.size).toBe(0);
  });
});
