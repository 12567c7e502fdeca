import { InMemoryStore } from './in-memory-store.js';
import { storeContractCases } from './store-contract.js';

describe('InMemoryStore (the store contract)', () => {
  for (const contractCase of storeContractCases(async () => new InMemoryStore())) it(contractCase.name, contractCase.run);
});
