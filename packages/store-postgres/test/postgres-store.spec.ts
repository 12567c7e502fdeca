import { storeContractCases } from '@provisio/core/testing';
import { PostgresStore } from '../src/index.js';
import { freshSchema, postgresAvailable, TEST_DATABASE_URL } from './test-database.js';

const available = await postgresAvailable();
const describeWithPostgres = available ? describe : describe.skip;

describeWithPostgres('PostgresStore (the store contract)', () => {
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await PostgresStore.dropSchemas(TEST_DATABASE_URL, schema);
  });
  const open = async () => {
    const schema = freshSchema();
    schemas.push(schema);
    return PostgresStore.open({ url: TEST_DATABASE_URL, schema, maintenance: false });
  };
  for (const contractCase of storeContractCases(open)) it(contractCase.name, contractCase.run, 30000);
});
