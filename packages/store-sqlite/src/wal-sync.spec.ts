import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WalSync } from './wal-sync.js';

describe('WalSync', () => {
  it('answers every caller once a sync that began after its call is done, sharing syncs among callers', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'provisio-wal-sync-')), 'db-wal');
    writeFileSync(path, 'frames');
    const sync = new WalSync(path);
    const first = sync.sync();
    expect(sync.idle).toBe(false);
    // Asked while the first runs: both wait for the one after it, which they share.
    const second = sync.sync();
    const third = sync.sync();
    expect(third).toBe(second);
    await Promise.all([first, second, third]);
    expect(sync.idle).toBe(true);
    await sync.close();
  });

  it('fails the callers when the log cannot be synced, and tries again on the next call', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'provisio-wal-sync-')), 'db-wal');
    const sync = new WalSync(path);
    await expect(sync.sync()).rejects.toMatchObject({ code: 'ENOENT' });
    writeFileSync(path, 'frames');
    await expect(sync.sync()).resolves.toBeUndefined();
    await sync.close();
    expect(sync.idle).toBe(true);
  });
});
