import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * A real browser for the pages' tests: the Debian `chromium` package driven
 * by Playwright (which cannot download its own browsers here). Every request
 * that is not to the gateway under test is blocked and remembered, so a test
 * can fail on any attempt to reach the internet (a CDN, a web font,
 * telemetry), and so can a request that fails.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = path.join(__dirname, '..', '..');

/** Builds dist/web if a source of it changed (Jest's global setup has done so already; this is for a file run alone in watch mode). */
export function buildPages(): void {
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'build.cjs'), '--if-stale', '--web-only'], { cwd: ROOT, stdio: 'inherit' });
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`);
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

export interface Visit {
  context: BrowserContext;
  page: Page;
  /** Requests to anywhere but the gateway, blocked. */
  offOrigin: string[];
  /** Requests that failed (blocked ones included), and errors the pages logged. */
  failures: string[];
}

/** A fresh browser context (no storage shared with another) whose pages may reach `origin` only. */
export async function visit(browser: Browser, origin: string, options: { locale?: string } = {}): Promise<Visit> {
  const context = await browser.newContext({ locale: options.locale ?? 'zh-CN', viewport: { width: 1440, height: 900 } });
  const offOrigin: string[] = [];
  const failures: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url.startsWith('data:')) return route.continue();
    offOrigin.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('requestfailed', (request) => failures.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText ?? 'failed'}`));
  page.on('pageerror', (error) => failures.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') failures.push(`console: ${message.text()}`);
  });
  return { context, page, offOrigin, failures };
}
