import { afterAll, afterEach } from '@jest/globals';
import { drainProblems, installAdminResponseTap } from './admin-response-tap.js';

// jest setupFilesAfterEnv of apps/server: a test fails when an /admin/v1 answer
// it caused does not match the OpenAPI document generated from the contract.
installAdminResponseTap();

async function failOnMismatch(): Promise<void> {
  const { problems } = await drainProblems();
  if (problems.length > 0)
    throw new Error(`admin API answers that do not match the OpenAPI document (@provisio/admin-contract):\n- ${problems.join('\n- ')}`);
}

afterEach(failOnMismatch);
afterAll(failOnMismatch);
