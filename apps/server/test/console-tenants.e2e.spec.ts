import type { Page } from 'playwright-core';
import { chromiumAvailable, launchChromium, type Browser } from './chromium.js';
import { startInProcessServer, type InProcessServer } from './in-process-server.js';
import { manifestHead } from './test-manifest.js';

/**
 * The console of a multi-tenant Provisio in Chromium: the super admin switches between tenants and sees each one's
 * instances; a tenant admin signs in at its tenant's console and sees only its own, with no way to other tenants.
 */
const SUPER_ADMIN = 'console-tenants-super-admin-0123456789';
const ACME_ADMIN = 'console-tenants-acme-admin-0123456789';
const ACME = 'acme.example.com';

const available = chromiumAvailable('the tenants console browser test');

async function signIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Admin token').fill(token);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
}

const instancesShown = (page: Page) =>
  page.locator('li.card[data-connector]').evaluateAll((cards) => cards.map((c) => c.getAttribute('data-connector')));

(available ? describe : describe.skip)('web console with tenants, in Chromium', () => {
  let server: InProcessServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startInProcessServer(
      `${manifestHead({ adminToken: SUPER_ADMIN })}connectors:
  - id: headquarters
    type: memory
tenants:
  - domain: ${ACME}
    displayName: Acme Corporation
    admin: { auth: { bearer: [{ name: acme-ops, token: "${ACME_ADMIN}" }] } }
    connectors:
      - id: acme-directory
        type: memory
`,
      { prefix: 'provisio-console-tenants-' },
    );
    browser = await launchChromium();
  }, 40_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("lets the super admin switch to a tenant's console, which shows that tenant's instances", async () => {
    const { page } = browser;
    await signIn(page, `${server.url}/console/`, SUPER_ADMIN);
    await page.getByRole('heading', { name: 'Connector instances' }).waitFor();
    await page.locator('li.card[data-connector="headquarters"]').waitFor();
    expect(await instancesShown(page)).toEqual(['headquarters']);
    const switcher = page.getByLabel('Tenant');
    expect(await switcher.locator('option').allTextContents()).toEqual(['carbon.super', `Acme Corporation (${ACME})`]);
    await switcher.selectOption(ACME);
    await page.waitForURL(`${server.url}/t/${ACME}/console/**`);
    await page.locator('li.card[data-connector="acme-directory"]').waitFor();
    expect(await instancesShown(page)).toEqual(['acme-directory']);
    expect(await page.getByLabel('Tenant').inputValue()).toBe(ACME);
    expect(browser.pageErrors).toEqual([]);
  }, 60_000);

  it("signs a tenant admin in at its tenant's console: its instances only, no tenant switcher", async () => {
    const { page } = browser;
    await page.evaluate('window.sessionStorage.clear()');
    await signIn(page, `${server.url}/t/${ACME}/console/`, ACME_ADMIN);
    await page.locator('li.card[data-connector="acme-directory"]').waitFor();
    expect(await instancesShown(page)).toEqual(['acme-directory']);
    expect(await page.getByLabel('Tenant').count()).toBe(0);
    await page.getByText('acme-ops').waitFor();
  }, 60_000);
});
