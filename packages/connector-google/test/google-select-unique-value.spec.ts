// selectUniqueValue through the whole pipeline (worker, job executor, link) with the real connector
// against the Google emulator: the candidate the directory does not hold yet is picked at create time,
// and kept on later updates.
import type { ProvisioningRuntime, Store } from '@provisio/core/engine';
import { startPipelineForTest, type PipelineForTest } from '@provisio/core/testing';
import type { GoogleEmulator } from '@provisio/emulators';
import { googleConnector, type GoogleConnector } from '../src/index.js';
import { ADMIN, configFor, connectorFor, DOMAIN, generateKeyPair, startEmulator, userPayload, type KeyPair } from './google-fixtures.js';

/** Entra's SelectUniqueValue example (first name; initial + last name; two letters + last name), for this domain. */
const candidate = (firstName: string) =>
  `join("@", normalizeDiacritics(stripSpaces(join("", ${firstName}, name.familyName))), "${DOMAIN}")`;
const PRIMARY_EMAIL = `selectUniqueValue(join("@", normalizeDiacritics(stripSpaces(name.givenName)), "${DOMAIN}"), ${candidate('mid(name.givenName, 1, 1)')}, ${candidate('mid(name.givenName, 1, 2)')})`;

const actor = { actor: 'test' };

describe('selectUniqueValue on Google: the first candidate the directory does not hold', () => {
  let keys: KeyPair;
  let emulator: GoogleEmulator;
  let store: Store;
  let runtime: ProvisioningRuntime;
  let pipeline: PipelineForTest;
  let direct: GoogleConnector;

  const settle = () => pipeline.settle();

  /** John Smith created through the pipeline, once his job has run: his identity and that job. */
  async function createJohnSmith(userName: string) {
    const { resource } = await runtime.identities.createUser({ userName, name: { givenName: 'John', familyName: 'Smith' } }, actor);
    await settle();
    const [job] = await store.listJobs({ localId: resource.id });
    return { resource, job };
  }

  const emails = () => emulator.state.users().map((u) => String(u['primaryEmail']));

  beforeAll(async () => {
    keys = generateKeyPair();
    emulator = await startEmulator(keys);
    direct = await connectorFor(configFor(emulator, keys));
    // The directory already holds the first two candidates for John Smith.
    await direct.createUser(userPayload('john', { primaryEmail: `John@${DOMAIN}`, givenName: 'John', familyName: 'Doe' }));
    await direct.createUser(userPayload('jsmith', { primaryEmail: `JSmith@${DOMAIN}`, givenName: 'Jane', familyName: 'Smith' }));

    pipeline = await startPipelineForTest({
      connectors: [googleConnector],
      instances: [
        {
          id: 'google',
          type: 'google',
          config: googleConnector.configSchema.parse(configFor(emulator, keys)),
          mapping: { primaryEmail: PRIMARY_EMAIL, givenName: 'name.givenName', familyName: 'name.familyName' },
          retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 },
        },
      ],
    });
    ({ store, runtime } = pipeline);
  });

  afterAll(async () => {
    await pipeline?.stop();
    await direct?.close();
    await emulator?.close();
  });

  it('creates John Smith as JoSmith@ because John@ and JSmith@ are taken, and remembers it on the link', async () => {
    const { resource, job } = await createJohnSmith('john.smith');
    expect(job).toMatchObject({ status: 'succeeded' });
    expect(emails().filter((e) => e.startsWith('j'))).toEqual([`john@${DOMAIN}`, `jsmith@${DOMAIN}`, `josmith@${DOMAIN}`]);
    const link = await store.getLink('google', 'user', resource.id as string);
    expect(link).toMatchObject({ status: 'synced', syncedAttributes: { primaryEmail: `JoSmith@${DOMAIN}` } });
    expect(emulator.state.user(link?.remoteId as string)).toMatchObject({ primaryEmail: `josmith@${DOMAIN}` });

    // An update (a new first name would give other candidates) neither re-picks nor renames.
    await runtime.identities.replaceUser(
      resource.id as string,
      { userName: 'john.smith', name: { givenName: 'Jo', familyName: 'Smith' } },
      actor,
    );
    await settle();
    const user = emulator.state.user(link?.remoteId as string);
    expect(user).toMatchObject({ primaryEmail: `josmith@${DOMAIN}`, name: { givenName: 'Jo', familyName: 'Smith' } });
    expect(await store.getLink('google', 'user', resource.id as string)).toMatchObject({
      syncedAttributes: { primaryEmail: `JoSmith@${DOMAIN}`, givenName: 'Jo' },
    });
    expect(emails().filter((e) => e.startsWith('j'))).toHaveLength(3);
  });

  it('gives two new users with the same name two accounts when their creates travel in one batch', async () => {
    await runtime.stop();
    const ids: string[] = [];
    for (const userName of ['ada.1', 'ada.2']) {
      const { resource } = await runtime.identities.createUser({ userName, name: { givenName: 'Ada', familyName: 'Lovelace' } }, actor);
      ids.push(resource.id as string);
    }
    await runtime.start();
    await settle();
    const links = await Promise.all(ids.map((id) => store.getLink('google', 'user', id)));
    expect(links.map((l) => l?.status)).toEqual(['synced', 'synced']);
    expect(new Set(links.map((l) => l?.remoteId)).size).toBe(2);
    expect(links.map((l) => l?.syncedAttributes?.['primaryEmail']).sort()).toEqual([`ALovelace@${DOMAIN}`, `Ada@${DOMAIN}`]);
    expect(
      emails()
        .filter((e) => e.startsWith('a') && e !== ADMIN)
        .sort(),
    ).toEqual([`ada@${DOMAIN}`, `alovelace@${DOMAIN}`]);
    // Both picked Ada@ in the same batch; the second create's conflict is not linked to the first's account but retried.
    const histories = await Promise.all(ids.map(async (id) => (await store.listJobs({ localId: id }))[0].history));
    const retried = histories.find((h) => h.length === 2);
    expect(retried?.map((h) => h.outcome)).toEqual(['retry', 'succeeded']);
    expect(retried?.[0].error).toMatch(
      new RegExp(`^primaryEmail "Ada@${DOMAIN}" picked by selectUniqueValue was taken meanwhile; picking again`),
    );
  });

  it('fails the create permanently, naming the candidates, when every one is taken', async () => {
    const { job } = await createJohnSmith('john.smith.2');
    expect(job).toMatchObject({ status: 'failed', lastErrorKind: 'permanent' });
    expect(job.lastError).toBe(
      `mapping.primaryEmail: selectUniqueValue found every candidate taken in the target ("John@${DOMAIN}", "JSmith@${DOMAIN}", "JoSmith@${DOMAIN}"); add a candidate`,
    );
    expect(emails().filter((e) => e.startsWith('j'))).toHaveLength(3);
  });
});
