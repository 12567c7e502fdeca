import { Container } from 'inversify';
import { asServiceId, silentLogger, TOKENS } from '@provisio/core';
import { manifestSchema } from '@provisio/core/engine';
import { PostgresStore, postgresStoreModule } from '../src/index.js';
import { freshSchema, postgresAvailable, TEST_DATABASE_URL } from './test-database.js';

const describeWithPostgres = (await postgresAvailable()) ? describe : describe.skip;

describeWithPostgres('postgresStoreModule', () => {
  const schema = freshSchema('di_module');
  afterAll(async () => {
    await PostgresStore.dropSchemas(TEST_DATABASE_URL, schema);
  });

  it("opens the manifest's PostgreSQL store and describes it without the URL's password", async () => {
    // Trust authentication ignores the password; the description must not show it.
    const url = new URL(TEST_DATABASE_URL);
    url.password = 'not-shown-anywhere';
    const passwordKey = Buffer.alloc(32, 7).toString('base64');
    const container = new Container({ defaultScope: 'Singleton' });
    container
      .bind(asServiceId(TOKENS.Manifest))
      .toConstantValue(manifestSchema.parse({ store: { type: 'postgres', url: url.toString(), schema }, security: { passwordKey } }));
    container.bind(asServiceId(TOKENS.Logger)).toConstantValue(silentLogger());
    container.load(postgresStoreModule);
    const store = await container.getAsync(asServiceId(TOKENS.Store));
    try {
      expect(store).toBeInstanceOf(PostgresStore);
      expect(await store.jobCounts()).toMatchObject({ pending: 0, failed: 0 });
      const { label } = container.get(asServiceId(TOKENS.StoreDescription));
      expect(label).toBe(`postgres ${url.hostname}:${url.port || '5432'}${url.pathname} schema ${schema}`);
      expect(label).not.toContain('not-shown-anywhere');
      // The same store on every resolution: one per server container.
      expect(await container.getAsync(asServiceId(TOKENS.Store))).toBe(store);
    } finally {
      await store.close();
    }
  });
});
