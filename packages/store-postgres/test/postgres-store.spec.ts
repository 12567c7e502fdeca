import { storeContractCases } from '@provisio/core/testing';
import { PostgresStore } from '../src/index.js';
import { freshSchemasForSuite, postgresAvailable, TEST_DATABASE_URL } from './test-database.js';

const available = await postgresAvailable();
const describeWithPostgres = available ? describe : describe.skip;

describeWithPostgres('PostgresStore (the store contract)', () => {
  const fresh = freshSchemasForSuite();
  const open = () => PostgresStore.open({ url: TEST_DATABASE_URL, schema: fresh(), maintenance: false });
  for (const contractCase of storeContractCases(open)) it(contractCase.name, contractCase.run, 30000);
});
