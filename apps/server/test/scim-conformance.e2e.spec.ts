import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import newman, { type NewmanRunOptions, type NewmanRunSummary } from 'newman';
import { startInProcessServer, type InProcessServer } from './in-process-server.js';
import { HR_EXTENSION, hrExtensionYaml } from './hr-extension.js';

/**
 * Microsoft's SCIM test collection (../shared/conformance) run with newman against
 * the real server, every folder but "Get Token". The few assertions that contradict
 * RFC 7644 are removed here, each named with its reason in
 * packages/scim-inbound/README.md ("Microsoft's test collection"); nothing else is changed.
 */
const COLLECTION = resolve(import.meta.dirname, 'conformance/microsoft-scim-postman-collection.json');
const TOKEN = 'conformance-token-0123456789abcdef';

interface Item {
  name: string;
  item?: Item[];
  request?: { url: { raw: string; path?: string[] } };
  event?: { listen: string; script: { exec: string[] } }[];
}

/** [request name, text of the pm.test title to drop]. */
const RFC_CONTRADICTIONS: [string, string][] = [
  ['filter eq and (val or val)', 'Total results'],
  ['filter starts with', 'Total results'],
  ['filter greater than', 'Total results'],
  ['Group patch add member', 'Status code is 204'],
  ['Group patch add member2', 'Status code is 204'],
  // RFC 7644 §3.5.2 offers 200 with the resource or 204; a User PATCH answers 200 (Okta's client reads the answer).
  ['Patch user omalley new username', 'Status code is 204'],
  ['patch user omalley active with boolean', 'Status code is 204'],
];

function dropTest(item: Item, title: string): void {
  for (const event of item.event ?? []) {
    if (event.listen !== 'test') continue;
    const source = event.script.exec.join('\n');
    const pattern = new RegExp(`pm\\.test\\("${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[\\s\\S]*?\\n\\}\\);?`);
    const kept = source.replace(pattern, '');
    if (kept === source) throw new Error(`assertion "${title}" not found in "${item.name}"`);
    event.script.exec = kept.split('\n');
  }
}

function prepare(items: Item[]): void {
  for (const item of items) {
    if (item.item) prepare(item.item);
    for (const [name, title] of RFC_CONTRADICTIONS) if (item.name === name) dropTest(item, title);
    // "Body contians user" after adding a member sent as {"displayName": "new User"}: members have no displayName sub-attribute.
    if (item.name === 'Get group by id' && item.event?.some((e) => e.script.exec.join('\n').includes('to.include("new User")')))
      dropTest(item, 'Body contians user');
    // Microsoft's reference server serves /serviceConfiguration; RFC 7644 §4 names it /ServiceProviderConfig.
    if (item.request && item.request.url.raw.endsWith('/serviceConfiguration')) {
      item.request.url.raw = item.request.url.raw.replace(/serviceConfiguration$/, 'ServiceProviderConfig');
      item.request.url.path = item.request.url.path?.map((p) => (p === 'serviceConfiguration' ? 'ServiceProviderConfig' : p));
    }
  }
}

describe("Microsoft's SCIM test collection (newman)", () => {
  let server: InProcessServer;

  // Issue 18's custom extension is declared (not required: the collection's users do not carry it) and served
  // in /Schemas and /ResourceTypes while the collection runs.
  beforeAll(async () => {
    server = await startInProcessServer(
      `server: { host: 127.0.0.1, port: 0, logLevel: silent }
inbound:
  scim:
    auth: { bearer: [{ name: entra, token: "${TOKEN}" }] }
${hrExtensionYaml({ required: false })}connectors: [{ id: mem, type: memory, mapping: { userName: userName } }]
`,
      { prefix: 'provisio-scim-conformance-' },
    );
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('passes every folder but "Get Token"', async () => {
    const collection = JSON.parse(readFileSync(COLLECTION, 'utf8')) as { item: Item[] };
    prepare(collection.item);
    const folders = collection.item.filter((i) => i.item && i.name !== 'Get Token').map((i) => i.name);
    expect(folders).toHaveLength(7);
    const port = new URL(server.url).port;
    const summary = await new Promise<NewmanRunSummary>((done, fail) => {
      newman.run(
        {
          collection: collection as unknown as NewmanRunOptions['collection'],
          folder: folders,
          envVar: [
            { key: 'Protocol', value: 'http' },
            { key: 'Server', value: '127.0.0.1' },
            { key: 'Port', value: `:${port}` },
            { key: 'Api', value: 'scim/v2' },
            { key: 'token', value: TOKEN },
          ],
          timeoutRequest: 10000,
          reporters: [],
        },
        (error, result) => (error ? fail(error) : done(result)),
      );
    });
    const failures = summary.run.failures.map((f) => `${f.source?.name ?? '?'}: ${f.error.test ?? ''} ${f.error.message}`);
    expect(failures).toEqual([]);
    expect(summary.run.stats.requests.total).toBeGreaterThanOrEqual(60);
    expect(summary.run.stats.assertions.total).toBeGreaterThanOrEqual(80);
    // The collection ran against a service that declares the extension.
    const schemas = await fetch(`${server.url}/scim/v2/Schemas`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(JSON.stringify(await schemas.json())).toContain(HR_EXTENSION);
  }, 60000);
});
