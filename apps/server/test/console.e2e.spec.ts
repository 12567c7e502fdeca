import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { startScimEmulator, type ScimEmulator } from '@provisio/emulators';
import { chromiumAvailable, launchChromium, type Browser } from './chromium.js';
import { scim as scimRequest } from './faults/fault-kit.js';
import { settleJobs, startInProcessServer, type InProcessServer } from './in-process-server.js';
import { manifestHead } from './test-manifest.js';

/**
 * The console in a real Chromium (Debian's, driven by playwright-core): a user
 * created over SCIM shows up with its links; the SCIM target starts refusing it,
 * the job fails in the console; the target heals, the operator retries from the
 * console and sees the job succeed.
 *
 * With CONSOLE_SCREENSHOTS=<folder> (npm run console:screenshots) it also saves a
 * screenshot of each page there.
 */
const WORKSPACE = fileURLToPath(new URL('../../../', import.meta.url));
const SHOTS = process.env.CONSOLE_SCREENSHOTS ? resolve(WORKSPACE, process.env.CONSOLE_SCREENSHOTS) : undefined;

const SCIM_TOKEN = 'console-e2e-scim-token-0123456789';
const ADMIN_TOKEN = 'console-e2e-admin-token-0123456789';
const TARGET_TOKEN = 'console-e2e-target-token-0123456789';
const OUTAGE = 'Emulated outage: the service refuses ada@example.com';

const available = chromiumAvailable('the console browser test', SHOTS !== undefined);

/** Polls a locator's text until it matches (bounded), then returns it. */
async function textMatching(locator: Locator, pattern: RegExp, timeoutMs = 15000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = (await locator.count()) > 0 ? ((await locator.first().textContent()) ?? '') : '';
    if (pattern.test(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${pattern} in ${locator}; last text: ${JSON.stringify(last)}`);
}

// Browser-side expressions, as strings: this test's TypeScript knows Node, not the DOM.
const UNLABELLED_CONTROLS = `[...document.querySelectorAll('input, select, textarea')]
  .filter((el) => el.type !== 'hidden' && (el.labels?.length ?? 0) === 0 && !el.getAttribute('aria-label'))
  .map((el) => el.outerHTML)`;
const FOCUSED_ID = 'document.activeElement ? document.activeElement.id : null';
const PAGE_WIDTH = 'document.documentElement.scrollWidth';

/** Every form control on the page has a label a screen reader announces. */
async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(UNLABELLED_CONTROLS);
}

(available ? describe : describe.skip)('web console in Chromium', () => {
  let scim: ScimEmulator;
  let server: InProcessServer;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[] = [];

  const scimCall = (method: string, path: string, body?: unknown) => scimRequest(server.url, SCIM_TOKEN, method, path, body);
  const faults = async (body: unknown) => {
    const response = await fetch(`${scim.url}/__emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
  };
  const shot = async (name: string) => {
    if (!SHOTS) return;
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  };
  const go = async (hash: string, heading: string | RegExp) => {
    await page.goto(`${server.url}/console/${hash}`);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor({ timeout: 10000 });
    expect(await unlabelledControls(page)).toEqual([]);
  };

  beforeAll(async () => {
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
    scim = await startScimEmulator({ auth: { type: 'bearer', token: TARGET_TOKEN } });
    server = await startInProcessServer(
      `${manifestHead({ scimToken: SCIM_TOKEN, adminToken: ADMIN_TOKEN })}connectors:
  - id: scim-app
    type: scim2
    retry: { maxAttempts: 2, baseDelayMs: 100 }
    config: { baseUrl: "${scim.baseUrl2}", auth: { type: bearer, token: "${TARGET_TOKEN}" } }
  - id: directory
    type: memory
    mapping: { userName: userName, email: "emails[primary eq true].value", title: { from: title, default: Staff } }
  - id: contractors
    type: memory
    scope: 'title eq "Contractor"'
    deprovisionGuard: { threshold: 2, window: 1h }
`,
      { prefix: 'provisio-console-e2e-' },
    );
    browser = await launchChromium();
    page = browser.page;
    pageErrors = browser.pageErrors;
  }, 40000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await scim?.close();
  });

  it('signs in with the keyboard, shows links, a failing job, and its successful retry', async () => {
    // Sign in: Tab to the token field, type, Enter.
    await page.goto(`${server.url}/console/`);
    await page.getByRole('heading', { name: 'Provisio console' }).waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    await shot('sign-in');
    for (let i = 0; i < 6 && (await page.evaluate<string | null>(FOCUSED_ID)) !== 'token'; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate<string | null>(FOCUSED_ID)).toBe('token');
    await page.keyboard.type(ADMIN_TOKEN);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    // The token stays in this tab's session storage, never in localStorage.
    expect(await page.evaluate<number>('window.localStorage.length')).toBe(0);

    // A user arrives over SCIM (plus a colleague and a group, so the pages have something to show).
    const created = await scimCall('POST', '/Users', {
      userName: 'ada@example.com',
      displayName: 'Ada Lovelace',
      title: 'Engineer',
      emails: [{ value: 'ada@example.com', primary: true }],
    });
    expect(created.status).toBe(201);
    const adaId = created.body['id'] as string;
    const grace = await scimCall('POST', '/Users', {
      userName: 'grace@example.com',
      displayName: 'Grace Hopper',
      emails: [{ value: 'grace@example.com', primary: true }],
    });
    await scimCall('POST', '/Groups', { displayName: 'Engineering', members: [{ value: adaId }, { value: grace.body['id'] }] });

    // Find her in the console, with her links.
    await go('#/users', 'Users and groups');
    await page.getByLabel(/Search users/).fill('lovelace');
    await page.getByLabel(/Search users/).press('Enter');
    await textMatching(page.locator('tr[data-user="ada@example.com"] li[data-connector="scim-app"]'), /scim-app: synced/);
    await textMatching(page.locator('tr[data-user="ada@example.com"] li[data-connector="directory"]'), /directory: synced/);
    await shot('users');
    await page.getByRole('link', { name: 'ada@example.com' }).click();
    await page.getByRole('heading', { level: 1, name: 'User ada@example.com' }).waitFor();
    const remoteId = scim.state.findUserByUserName('ada@example.com')?.['id'] as string;
    expect(remoteId).toBeTruthy();
    await textMatching(page.locator('tr[data-connector="scim-app"]'), new RegExp(`synced${remoteId}`));
    await shot('user');

    // The target starts refusing her; the next change fails.
    await faults({ refuseAccount: { name: 'ada@example.com', status: 400, message: OUTAGE } });
    const patched = await scimCall('PATCH', `/Users/${adaId}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', path: 'title', value: 'Principal Engineer' }],
    });
    expect([200, 204]).toContain(patched.status);

    // Watch the job fail in the console, with the remote error.
    await go('#/jobs', 'Jobs');
    await page.getByLabel('Status').selectOption('failed');
    await page.getByLabel('Connector').selectOption('scim-app');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const failedRow = page.locator('tr[data-status="failed"]');
    await textMatching(failedRow, new RegExp(OUTAGE));
    const jobId = (await failedRow.first().getAttribute('data-job')) as string;
    await failedRow
      .first()
      .getByText(/attempt/)
      .click();
    await shot('jobs-failed');

    // Heal the target, retry from the console, see it succeed.
    await faults({ reset: true });
    await page.getByRole('button', { name: `Retry job ${jobId}` }).click();
    await textMatching(page.getByRole('status'), new RegExp(`Job ${jobId} is pending again`));
    await page.getByLabel('Status').selectOption('');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await textMatching(page.locator(`tr[data-job="${jobId}"]`), /succeeded/);
    expect(scim.state.findUserByUserName('ada@example.com')?.['title']).toBe('Principal Engineer');
    await shot('jobs');

    // Her link is healthy again.
    await go(`#/users/${adaId}`, 'User ada@example.com');
    await textMatching(page.locator('tr[data-connector="scim-app"]'), /synced/);
    expect(pageErrors).toEqual([]);
  }, 60000);

  it('previews the payload and provisions on demand, step by step', async () => {
    await go('#/connectors/scim-app', 'Connector scim-app');
    await page.getByRole('heading', { name: 'Configuration' }).waitFor();
    // The instance's bearer token is masked by the server; it never reaches the page.
    await textMatching(page.getByLabel('Instance settings'), /"token": "\*{8}"/);
    expect(await page.content()).not.toContain(TARGET_TOKEN);
    // Linus never made it to the target (it refused him); it has healed since.
    await faults({ refuseAccount: { name: 'linus@example.com', status: 400, message: 'Emulated refusal of linus' } });
    expect(
      (
        await scimCall('POST', '/Users', {
          userName: 'linus@example.com',
          displayName: 'Linus Torvalds',
          emails: [{ value: 'linus@example.com', primary: true }],
        })
      ).status,
    ).toBe(201);
    await settleJobs(server);
    await faults({ reset: true });
    expect(scim.state.findUserByUserName('linus@example.com')).toBeUndefined();

    // Preview: the exact POST the instance would send; nothing is sent.
    await page.getByLabel('User (id or userName)').fill('linus@example.com');
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByTestId('preview');
    await textMatching(preview, /create/);
    await textMatching(preview, /POST \/Users POST http:\/\/127\.0\.0\.1:\d+\/scim\/v2\/Users[\s\S]*"userName": "linus@example.com"/);
    expect(scim.state.findUserByUserName('linus@example.com')).toBeUndefined();
    await shot('connector-preview');

    // Provision now: through the pipeline, step by step, and the account exists.
    await page.getByRole('button', { name: 'Provision now' }).click();
    const result = page.getByTestId('provision-result');
    await textMatching(result, /succeeded/);
    expect(await result.locator('li').count()).toBe(7);
    const remoteId = scim.state.findUserByUserName('linus@example.com')?.['id'] as string;
    expect(remoteId).toBeTruthy();
    await textMatching(result.locator('li[data-status="ok"]').filter({ hasText: 'Look up the link' }), /no remote account yet: create/);
    await textMatching(result.locator('li[data-status="ok"]').filter({ hasText: 'Update the link' }), new RegExp(`remote id ${remoteId}`));
    await shot('connector-provision');

    // A linked, up-to-date user: nothing would be sent; the full payload is still there to read.
    await page.getByLabel('User (id or userName)').fill('grace@example.com');
    await page.getByRole('button', { name: 'Preview' }).click();
    await textMatching(preview, /Nothing would be sent/);
    await preview.getByText('The full payload').click();
    await textMatching(preview, /"userName": "grace@example.com"/);
  }, 30000);

  it('shows every instance’s health, job counts and throughput, at laptop and phone widths', async () => {
    await go('#/', 'Overview');
    await textMatching(page.locator('li[data-connector="scim-app"]'), /healthy/);
    await textMatching(page.locator('li[data-connector="scim-app"] dd[data-status="succeeded"]'), /^[1-9]\d*$/);
    await textMatching(page.locator('figcaption'), /succeeded [1-9]/);
    await shot('overview');
    await page.setViewportSize({ width: 375, height: 812 });
    await page.reload();
    await textMatching(page.locator('li[data-connector="directory"]'), /healthy/);
    // Nothing wider than the phone's screen.
    expect(await page.evaluate<number>(PAGE_WIDTH)).toBeLessThanOrEqual(375);
    await shot('overview-phone');
    await go('#/jobs', 'Jobs');
    await page.locator('tr[data-job]').first().waitFor();
    // Wide tables scroll inside their own region, not the page.
    expect(await page.evaluate<number>(PAGE_WIDTH)).toBeLessThanOrEqual(375);
    await shot('jobs-phone');
    await page.setViewportSize({ width: 1280, height: 860 });

    await go('#/audit', 'Audit');
    await textMatching(page.locator('tbody'), /admin:opsretry/);
    await textMatching(page.locator('tbody'), /scim:hruser.create/);
    await shot('audit');
    await go('#/groups', 'Users and groups');
    await shot('groups');
    expect(pageErrors).toEqual([]);
  }, 30000);

  it('shows a tripped deletion guard with its held count and sample, and releases the held jobs from the console', async () => {
    const people = ['c1', 'c2', 'c3', 'c4', 'c5'].map((n) => `${n}@contractors.example`);
    const ids: string[] = [];
    for (const userName of people) {
      const created = await scimCall('POST', '/Users', { userName, title: 'Contractor', emails: [{ value: userName, primary: true }] });
      expect(created.status).toBe(201);
      ids.push(String(created.body['id']));
    }
    await settleJobs(server);
    // Five contractors leave at once: the guard (2 an hour) lets two through and holds the rest.
    for (const id of ids) expect((await scimCall('DELETE', `/Users/${id}`)).status).toBe(204);
    await settleJobs(server);
    const store = server.runtime.options.store;
    expect((await store.jobCounts('contractors')).held).toBe(3);

    await go('#/connectors/contractors', 'Connector contractors');
    const panel = page.locator('section[data-guard="contractors"]');
    await textMatching(panel.locator('[data-held-count]'), /^3$/);
    await textMatching(panel.locator('tbody'), /contractors\.example/);
    await shot('connector-guard');
    page.once('dialog', (dialog) => void dialog.accept());
    await panel.getByRole('button', { name: 'Release (send them)' }).click();
    // The panel goes once nothing is held; the confirmation stays.
    await textMatching(page.locator('[data-guard-result="contractors"]'), /3 held jobs released/);
    expect(await panel.count()).toBe(0);
    await settleJobs(server);
    const counts = await store.jobCounts('contractors');
    expect({ held: counts.held, failed: counts.failed }).toEqual({ held: 0, failed: 0 });
    // Every contractor's link is deprovisioned now: the released jobs ran, each once.
    const links = await Promise.all(ids.map(async (id) => (await store.linksOf('user', id)).find((l) => l.instanceId === 'contractors')));
    expect(links.map((l) => l?.status)).toEqual(people.map(() => 'deprovisioned'));
    expect(pageErrors).toEqual([]);
  }, 60000);
});
