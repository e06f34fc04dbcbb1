import type { Browser } from 'playwright-core';
import { startStack, type Stack } from '../integration/stack';
import { buildPages, launchBrowser, visit, type Visit } from './browser';

/**
 * The IDE at GET /graphql, in a real browser with every request off this
 * machine blocked: GraphiQL from the project's own build, an identity picked
 * from the sandbox's samples, a query run, and the schema's docs.
 */
describe('the IDE', () => {
  let stack: Stack;
  let browser: Browser;
  let origin: string;
  let tab: Visit;

  beforeAll(async () => {
    buildPages();
    stack = await startStack({ residents: 200, seed: 101 });
    origin = new URL(stack.gatewayUrl).origin;
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
  beforeEach(async () => {
    tab = await visit(browser, origin);
  });
  afterEach(async () => {
    // Nothing may leave the machine, and nothing may fail to load.
    expect(tab.offOrigin).toEqual([]);
    expect(tab.failures).toEqual([]);
    await tab.context.close();
  });

  it('runs a query as a sample identity and shows Resident in the docs', async () => {
    const { page } = tab;
    await page.goto(`${origin}/graphql`);
    await page.getByLabel('identity').selectOption('ca-officer');
    await page.locator('.graphiql-execute-button').click();
    await page.getByText('"totalCount"').first().waitFor();
    await page.getByLabel('Show Documentation Explorer').click();
    await page.locator('.graphiql-doc-explorer-search-input input').fill('Resident');
    await page.locator('.graphiql-doc-explorer-search').getByText('Resident', { exact: true }).first().click();
    await page.locator('.graphiql-doc-explorer-title', { hasText: 'Resident' }).waitFor();
  });

  it('is served with a policy that lets it reach this origin only, and caches hashed assets for a year', async () => {
    const response = await fetch(`${origin}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(response.headers.get('cache-control')).toBe('no-cache');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(await response.text())![1]!;
    const asset = await fetch(`${origin}${script}`, { headers: { 'accept-encoding': 'br' } });
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });
});
