import type jsforce from 'jsforce';
import type { SalesforceEmulator } from '../../src/salesforce/index.js';
import { API_VERSION, loggedIn, startFixture } from './emulator-fixture.js';

interface Batch {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: { Id: string }[];
}

describe('Salesforce emulator: query batches and locators', () => {
  let emulator: SalesforceEmulator;
  let conn: jsforce.Connection;

  beforeAll(async () => {
    emulator = await startFixture();
    emulator.state.addUsers(Array.from({ length: 2100 }, (_, i) => ({ Username: `batch${i}@provisio.example`, LastName: `Batch${i}` })));
    conn = await loggedIn(emulator);
  });
  afterAll(() => emulator.close());

  async function get(path: string, batchSize?: number): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = { Authorization: `Bearer ${conn.accessToken}` };
    if (batchSize !== undefined) headers['Sforce-Query-Options'] = `batchSize=${batchSize}`;
    const response = await fetch(`${conn.instanceUrl}${path}`, { headers });
    return { status: response.status, body: await response.json() };
  }

  const usersQuery = `/services/data/v${API_VERSION}/query?q=${encodeURIComponent("SELECT Id FROM User WHERE Username LIKE 'batch%'")}`;

  it('answers 2,000 records a batch by default, with totalSize and a locator for the rest', async () => {
    const { body } = await get(usersQuery);
    const first = body as Batch;
    expect(first).toMatchObject({ totalSize: 2100, done: false });
    expect(first.records).toHaveLength(2000);
    expect(first.nextRecordsUrl).toMatch(new RegExp(`^/services/data/v${API_VERSION}/query/01g[0-9a-f]+-2000$`));
    const rest = (await get(first.nextRecordsUrl ?? '')).body as Batch;
    expect(rest).toMatchObject({ totalSize: 2100, done: true });
    expect(rest.records).toHaveLength(100);
    expect(rest.nextRecordsUrl).toBeUndefined();
  });

  it.each([
    [50, 200],
    [500, 500],
    [5000, 2000],
  ])('takes Sforce-Query-Options batchSize=%i as a batch of %i', async (asked, size) => {
    const { body } = await get(usersQuery, asked);
    expect((body as Batch).records).toHaveLength(size);
  });

  it('refuses a locator once its cursor was read to the end (INVALID_QUERY_LOCATOR)', async () => {
    const first = (await get(usersQuery)).body as Batch;
    const url = first.nextRecordsUrl ?? '';
    expect((await get(url)).status).toBe(200);
    const again = await get(url);
    expect(again.status).toBe(400);
    expect(again.body).toEqual([{ errorCode: 'INVALID_QUERY_LOCATOR', message: 'invalid query locator' }]);
  });

  it('refuses a locator whose cursor expired, and one it never issued', async () => {
    const first = (await get(usersQuery, 1000)).body as Batch;
    emulator.state.expireQueryLocators();
    expect((await get(first.nextRecordsUrl ?? '')).status).toBe(400);
    const made = await get(`/services/data/v${API_VERSION}/query/01g000000000-2000`);
    expect(made.body).toEqual([expect.objectContaining({ errorCode: 'INVALID_QUERY_LOCATOR' })]);
  });

  it('keeps a snapshot: a user deleted after the query still comes in a later batch', async () => {
    const first = (await get(usersQuery, 1000)).body as Batch;
    const later = (
      await get(
        `/services/data/v${API_VERSION}/query?q=${encodeURIComponent("SELECT Id FROM User WHERE Username = 'batch2099@provisio.example'")}`,
      )
    ).body as Batch;
    const lastId = later.records[0]?.Id ?? '';
    emulator.state.removeRecord('User', lastId);
    const ids: string[] = first.records.map((r) => r.Id);
    let next = first.nextRecordsUrl;
    for (let n = 0; next && n < 10; n++) {
      const batch = (await get(next)).body as Batch;
      ids.push(...batch.records.map((r) => r.Id));
      next = batch.nextRecordsUrl;
    }
    expect(ids).toHaveLength(2100);
    expect(ids).toContain(lastId);
  });
});
