import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { compressSync } from 'snappy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { encodeWriteRequestV1 } from '../../src/remote/pb-writer.js';
import { CHROMIUM, ensureConsoleBuilt } from './console-browser.js';
import { ROOT, signedFetch, startTestAmphora } from './helpers.js';

const ARTEFACTS = join(process.cwd(), 'test-artefacts', 'console');
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`console end-to-end test skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`);

/** The console in a real Chromium: every page driven as a user would, checked by content; screenshots in test-artefacts/console/. */
describe.skipIf(!haveChromium)('web console (real Chromium)', () => {
  let amphora: Awaited<ReturnType<typeof startTestAmphora>>;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  const foreignRequests: string[] = [];
  const t0 = Date.now();
  const shot = async (name: string) => {
    if (process.env['CONSOLE_E2E_TRACE']) process.stderr.write(`console e2e: ${name} at ${Date.now() - t0} ms\n`);
    await page.screenshot({ path: join(ARTEFACTS, `${name}.png`), fullPage: true });
  };

  beforeAll(async () => {
    await ensureConsoleBuilt();
    mkdirSync(ARTEFACTS, { recursive: true });
    amphora = await startTestAmphora();
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith(amphora.address) && !r.url().startsWith('data:')) foreignRequests.push(r.url());
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await amphora?.stop();
  });

  it('signs in, creates a workspace, queries, graphs, shows cardinality and IAM, deletes the workspace', async () => {
    // GET / from a browser leads to the console
    await page.goto(`${amphora.address}/`);
    expect(new URL(page.url()).pathname).toBe('/console/');
    await page.getByRole('heading', { name: 'Sign in to Amphora' }).waitFor();
    await shot('01-sign-in');
    await page.getByLabel('Access key ID').fill(ROOT.accessKeyId);
    await page.getByLabel('Secret access key').fill(ROOT.secretAccessKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('identity').textContent()).toBe('arn:aws:iam::000000000000:root');
    expect(await page.evaluate(() => Object.keys(localStorage).some((k) => localStorage.getItem(k)!.includes('secret')))).toBe(false);

    // Workspaces: create with alias and tags; the status turns ACTIVE by itself
    await page.getByLabel('Alias').fill('console-e2e');
    await page.getByLabel(/^Tags/).fill('team=e2e, env=test');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    const row = page.locator('tr', { hasText: 'console-e2e' });
    await row.getByText('ACTIVE').waitFor({ timeout: 15_000 });
    expect(await row.textContent()).toContain('team=e2e');
    const ws = (await row.locator('code').first().textContent())!;
    expect(ws).toMatch(/^ws-/);
    await shot('02-workspaces');

    // Remote-write two series (and their metadata) over the last 10 minutes
    const now = Date.now();
    const samples = (k: number) => Array.from({ length: 41 }, (_, i) => ({ timestamp: now - (40 - i) * 15_000, value: k * i }));
    const body = encodeWriteRequestV1(
      [
        { labels: [['__name__', 'console_test_requests_total'], ['instance', 'a'], ['job', 'api']], samples: samples(1), exemplars: [{ labels: [['trace_id', 'abc123']], value: 30, timestamp: now - 10 * 15_000 }] },
        { labels: [['__name__', 'console_test_requests_total'], ['instance', 'b'], ['job', 'api']], samples: samples(2) },
      ],
      [{ type: 1, family: 'console_test_requests_total', help: 'Requests the console test wrote.' }],
    );
    const write = await signedFetch(amphora.address, 'POST', `/workspaces/${ws}/api/v1/remote_write`, compressSync(Buffer.from(body)), { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' });
    expect(write.status).toBe(204);

    // Details: endpoints and snippets
    await row.getByRole('link', { name: 'console-e2e' }).click();
    await page.getByText('prometheus.yml with SigV4').waitFor();
    expect(await page.locator('.copy-block pre').first().textContent()).toContain(`/workspaces/${ws}/api/v1/remote_write`);
    await shot('03-workspace-details');

    // Explore: completion of the metric name, then the graph
    await page.locator('main').getByRole('link', { name: 'Explore' }).click();
    const editor = page.getByTestId('promql-editor');
    await editor.click();
    await page.keyboard.type('console_te', { delay: 20 });
    const option = page.locator('.cm-tooltip-autocomplete li', { hasText: 'console_test_requests_total' });
    await option.waitFor({ timeout: 10_000 });
    await page.waitForTimeout(200); // CodeMirror ignores Enter for 75 ms after the list opens (interactionDelay)
    await page.keyboard.press('Enter'); // accept the completion
    expect(await editor.textContent()).toBe('console_test_requests_total');
    await page.keyboard.press('Enter'); // run
    const legend = page.locator('.legend-item');
    await expect.poll(() => legend.count(), { timeout: 10_000 }).toBe(2);
    expect(await legend.allTextContents()).toEqual(['console_test_requests_total{instance="a", job="api"}', 'console_test_requests_total{instance="b", job="api"}']);
    expect(await page.locator('.graph-canvas').getAttribute('data-series-count')).toBe('2');
    expect(await page.locator('.graph-canvas canvas').count()).toBe(1);
    expect(await page.getByTestId('query-stats').textContent()).toMatch(/Result series: 2 · Samples processed: \d+/);
    await page.getByText(/Exemplars \(1,/).click();
    expect(await page.locator('.exemplars tbody tr').textContent()).toContain('{trace_id="abc123"}');
    // hiding a series from the legend
    await legend.first().click();
    await expect.poll(() => legend.first().getAttribute('aria-pressed')).toBe('false');
    expect(page.url()).toContain('q=console_test_requests_total');
    await shot('04-explore-graph');

    // Table view
    await page.getByRole('tab', { name: 'Table' }).click();
    const rows = page.locator('.result-table tbody tr');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(2);
    expect(await rows.nth(1).textContent()).toContain('80');
    await shot('05-explore-table');
    // A syntax error is reported from the editor's linter, without a request (so no 400 in the console)
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('rate(console_test_requests_total)');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').getByText(/expected type matrix in call to function "rate"/).waitFor();

    // Cardinality: status/tsdb and metadata
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Cardinality' }).click();
    const top = page.locator('table', { has: page.getByText('Top metrics by series') });
    await top.getByText('console_test_requests_total').waitFor();
    expect(await top.locator('tbody tr').first().textContent()).toContain('2');
    await page.getByText('Requests the console test wrote.').waitFor();
    await shot('06-cardinality');

    // IAM: a user with a service-specific credential that works for queries
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'IAM' }).click();
    await page.getByLabel('User name').fill('console-e2e');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('link', { name: 'console-e2e' }).click();
    await page.getByRole('button', { name: 'Create service credential' }).click();
    const secret = page.locator('.secret-once');
    await secret.waitFor();
    const [user, password] = await secret.locator('code').allTextContents();
    expect(user).toBe('console-e2e-at-000000000000');
    expect(password).toHaveLength(44);
    await page.getByLabel('Policy to attach').selectOption({ label: 'AmazonPrometheusQueryAccess' });
    await page.getByRole('button', { name: 'Attach policy' }).click();
    await page.locator('tr', { hasText: 'AmazonPrometheusQueryAccess' }).first().waitFor();
    const q = await fetch(`${amphora.address}/workspaces/${ws}/api/v1/query?query=console_test_requests_total`, { headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` } });
    expect(q.status).toBe(200);
    await shot('07-iam-user');

    // Signed in with that service-specific credential: the data-plane pages of its workspace only
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Service-specific credential').check();
    await page.getByLabel('Service user name').fill(user!);
    await page.getByLabel('Service password').fill(password!);
    await page.getByLabel('Workspace ID').fill(ws);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('identity').textContent()).toBe(`${user} (service-specific credential)`);
    expect(await page.getByRole('navigation', { name: 'Console' }).getByRole('link').allTextContents()).toEqual(['Explore', 'Cardinality']);
    await page.goto(`${amphora.address}/console/#/explore?q=console_test_requests_total&tab=table`);
    await expect.poll(() => page.locator('.result-table tbody tr').count(), { timeout: 10_000 }).toBe(2);
    await shot('08-service-credential-explore');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Access key ID').fill(ROOT.accessKeyId);
    await page.getByLabel('Secret access key').fill(ROOT.secretAccessKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('identity').waitFor();

    // Delete the workspace, with confirmation
    await page.goto(`${amphora.address}/console/#/workspaces/${ws}`);
    await page.getByRole('button', { name: 'Delete workspace' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/Type/).fill('console-e2e');
    await shot('09-delete-confirm');
    await dialog.getByRole('button', { name: 'Delete workspace' }).click();
    await page.getByRole('heading', { name: 'Workspaces' }).waitFor();
    await expect.poll(async () => (await signedFetch(amphora.address, 'GET', `/workspaces/${ws}`)).status, { timeout: 15_000 }).toBe(404);

    // Dark theme, sign out
    await page.getByRole('button', { name: /Switch to dark theme/ }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset['theme'])).toBe('dark');
    await shot('10-dark');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Amphora' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    expect(consoleErrors).toEqual([]);
    expect(foreignRequests).toEqual([]);
  }, 90_000);
});
