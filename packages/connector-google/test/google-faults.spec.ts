// Quota and outage answers are transient (the worker retries with backoff); the client itself does not retry.
import { ADMIN, configFor, connectorFor, generateKeyPair, useConnectorTestBed, startEmulator, userPayload } from './google-fixtures.js';

describe('Google connector: quotas and outages', () => {
  const lookup = { localId: 'x', attributes: { primaryEmail: ADMIN } };

  const bed = useConnectorTestBed();

  beforeAll(async () => {
    await bed.connector.findUser(lookup);
  });

  afterEach(() => {
    bed.emulator.faults.reset();
    bed.emulator.setUserRateLimit(2400);
  });

  it('403 userRateLimitExceeded (per-user quota) is transient', async () => {
    bed.emulator.setUserRateLimit(0);
    const error = await bed.connector.createUser(userPayload('quota')).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'transient', remoteCode: 403 });
    expect((error as Error).message).toContain('userRateLimitExceeded');
  });

  it('429 rateLimitExceeded is transient and carries Retry-After', async () => {
    bed.emulator.faults.rateLimitNext(1, 7);
    const error = await bed.connector.findUser(lookup).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'transient', remoteCode: 429, retryAfterMs: 7000 });
  });

  it('503 backendError is transient, and the client does not retry by itself (not even a GET)', async () => {
    bed.emulator.faults.failNext(1, 503);
    const before = bed.emulator.state.callCount;
    await expect(bed.connector.findUser(lookup)).rejects.toMatchObject({ kind: 'transient', remoteCode: 503 });
    expect(bed.emulator.state.callCount).toBe(before + 1);
    await expect(bed.connector.findUser(lookup)).resolves.toMatchObject({ remoteName: ADMIN });
  });

  it('a POST hitting 500 is transient and sent once', async () => {
    bed.emulator.faults.failNext(1, 500);
    const before = bed.emulator.state.callCount;
    await expect(bed.connector.createUser(userPayload('once'))).rejects.toMatchObject({ kind: 'transient', remoteCode: 500 });
    expect(bed.emulator.state.callCount).toBe(before + 1);
  });

  it('a request that outlives timeouts.requestMs is transient', async () => {
    const keys = generateKeyPair();
    const slow = await startEmulator(keys, { latencyMs: 500 });
    try {
      const impatient = await connectorFor(configFor(slow, keys, { timeouts: { requestMs: 100, batchMs: 100 } }));
      await expect(impatient.findUser(lookup)).rejects.toMatchObject({ kind: 'transient' });
    } finally {
      await slow.close();
    }
  });
});
