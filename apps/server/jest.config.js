import { join } from 'node:path';
import { jestConfig } from '../../jest.preset.js';

// Every admin answer the tests receive is checked against the OpenAPI document.
export default jestConfig(import.meta.dirname, {
  setupFilesAfterEnv: [join(import.meta.dirname, 'test', 'admin-contract', 'validate-admin-responses.ts')],
});
