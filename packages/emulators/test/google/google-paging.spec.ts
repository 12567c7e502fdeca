// users.list / groups.list paging through the real @googleapis/admin client: page tokens continue
// after the last item given, are bound to their listing, and maxResults has Google's limits.
import type { admin_directory_v1 } from '@googleapis/admin';
import type { GoogleEmulator } from '../../src/google/index.js';
import { captureError, startGoogleTestBed } from './google-test-clients.js';

describe('Google emulator: paging', () => {
  let emulator: GoogleEmulator;
  let directory: admin_directory_v1.Admin;

  beforeAll(async () => {
    ({ emulator, directory } = await startGoogleTestBed());
  });
  afterAll(() => emulator.close());

  async function listAll(between: (page: number) => void = () => undefined): Promise<string[]> {
    const emails: string[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < 100; page++) {
      const { data } = await directory.users.list({ customer: 'my_customer', maxResults: 3, query: 'email:paged*', pageToken });
      emails.push(...(data.users ?? []).map((u) => u.primaryEmail ?? ''));
      between(page);
      pageToken = data.nextPageToken ?? undefined;
      if (!pageToken) break;
    }
    return emails;
  }

  it('skips nobody when a user already listed is deleted between two pages', async () => {
    const ids = emulator.state.addUsers(Array.from({ length: 8 }, (_, i) => ({ primaryEmail: `paged${i}@example.com` })));
    const emails = await listAll((page) => {
      if (page === 0) emulator.state.removeUser(ids[0]);
    });
    expect(emails).toEqual(Array.from({ length: 8 }, (_, i) => `paged${i}@example.com`));
    expect(await listAll()).toHaveLength(7);
  });

  it('ends with no nextPageToken on a page that is full and last', async () => {
    const { data } = await directory.users.list({ customer: 'my_customer', maxResults: 7, query: 'email:paged*' });
    expect(data.users).toHaveLength(7);
    expect(data.nextPageToken).toBeUndefined();
  });

  it('refuses a page token from another query with 400 Invalid page token', async () => {
    const first = await directory.users.list({ customer: 'my_customer', maxResults: 2, query: 'email:paged*' });
    const reused = await captureError(() =>
      directory.users.list({ customer: 'my_customer', maxResults: 2, pageToken: first.data.nextPageToken ?? '' }),
    );
    expect(reused.status).toBe(400);
    expect(reused.message).toBe('Invalid page token');
  });

  it('takes groups.list maxResults up to 200, as Google does', async () => {
    expect((await directory.groups.list({ customer: 'my_customer', maxResults: 200 })).status).toBe(200);
    const range = await captureError(() => directory.groups.list({ customer: 'my_customer', maxResults: 201 }));
    expect(range.message).toBe("Invalid value '201'. Values must be within the range: [1, 200]");
  });
});
