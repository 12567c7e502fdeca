// Debian's Chromium for the console's browser tests, driven by playwright-core; one way to start it.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const CHROMIUM = process.env.PROVISIO_CHROMIUM ?? '/usr/bin/chromium';

/** Without the background-networking flags, Chromium's own connections are refused by the machine's closed network. */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

/** Whether the browser tests can run; when not, says so loudly (or fails where Chromium is required, as in CI). */
export function chromiumAvailable(what: string, required = false): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (required || process.env.PROVISIO_REQUIRE_CHROMIUM)
    throw new Error(`${what} needs Chromium at ${CHROMIUM} (apt-get install -y chromium, or set PROVISIO_CHROMIUM)`);
  console.warn(
    `\n${'!'.repeat(78)}\n!! SKIPPED: ${what} needs Chromium at ${CHROMIUM}.\n!! Install it with: apt-get install -y chromium   (CI's .ci/run does)\n${'!'.repeat(78)}\n`,
  );
  return false;
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Errors the page threw or logged. */
  pageErrors: string[];
  close(): Promise<void>;
}

/** A fresh profile (Playwright passes it as --user-data-dir) and one page. */
export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'provisio-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_FLAGS,
    headless: true,
    timeout: 20000,
    viewport: { width: 1280, height: 860 },
    reducedMotion: 'reduce',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15000);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  return {
    context,
    page,
    pageErrors,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
