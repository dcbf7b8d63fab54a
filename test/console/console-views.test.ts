// The console in headless Chromium against a real emulator fed by the real exporter: live list, detail
// with redaction marks, untrusted text shown as text, rejected tab, timeline chart, keyboard, narrow and
// dark layouts. Server-side rules (headers, allow-list, access) are in console-route.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { REDACTED_VALUE } from '../../src/limits.js';
import {
  ARTIFACTS_DIR,
  createSender,
  launchBrowser,
  runBrowserTests,
  screenshot,
} from './console-browser.js';

const HOSTILE_NAME = '<img src=x onerror="window.__consoleXss=1"><script>window.__consoleXss=1</script>';

describe.runIf(runBrowserTests)('the browser console', () => {
  let emulator: Emulator;
  let browser: Browser;
  let sender: ReturnType<typeof createSender>;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, log: () => undefined });
    browser = await launchBrowser();
    sender = createSender(emulator);
  });
  afterAll(async () => {
    await sender?.shutdown();
    await browser?.close();
    await emulator?.close();
  });

  async function openConsole(hash = '', viewport = { width: 1280, height: 800 }): Promise<Page> {
    const page = await browser.newPage({ viewport });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${emulator.url}/${hash}`);
    (page as Page & { errors?: string[] }).errors = errors;
    return page;
  }

  it('lists events sent by the exporter within seconds, newest first, and opens one with redactions marked', async () => {
    const page = await openConsole();
    await page.getByRole('status').filter({ hasText: 'events stored' }).waitFor();
    await sender.send('user.login', {
      'audit.event_source': 'billing.example',
      'audit.event_name': 'Login',
      'audit.user_identity.type': 'User',
      'audit.user_identity.principal_id': 'alice',
      'audit.source_ip_address': '192.0.2.10',
      'audit.request_parameters': { user: 'alice', password: 'console-test-password' },
    });
    await sender.send('user.export', {
      'audit.event_source': 'billing.example',
      'audit.event_name': 'ExportData',
      'audit.user_identity.type': 'User',
      'audit.user_identity.principal_id': 'bob',
      'audit.source_ip_address': '198.51.100.7',
      'audit.error_code': 'AccessDenied',
    });
    const rows = page.locator('table.events tbody tr');
    await rows.nth(1).waitFor({ timeout: 5_000 });
    expect(await rows.locator('td.event-name').allTextContents()).toEqual(['ExportData', 'Login']);
    await screenshot(page, 'events');

    await rows.filter({ hasText: 'Login' }).getByRole('button').click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.getByRole('heading', { level: 2 }).textContent()).toBe('Login');
    expect(await dialog.locator('mark.redacted').allTextContents()).toEqual([JSON.stringify(REDACTED_VALUE)]);
    expect(await dialog.textContent()).toContain('1 value was redacted by the exporter');
    expect(await dialog.textContent()).not.toContain('console-test-password');
    expect(await dialog.textContent()).toContain(emulator.channelArn);
    await screenshot(page, 'event-detail');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.close();
  });

  it('filters by event name, principal and error code', async () => {
    const page = await openConsole();
    const rows = page.locator('table.events tbody tr');
    await rows.nth(1).waitFor();
    await page.getByLabel('Principal').fill('bob');
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByLabel('Principal').fill('');
    await page.getByLabel('Error code').fill('-');
    await expect.poll(() => rows.locator('td.event-name').allTextContents()).not.toContain('ExportData');
    await page.close();
  });

  it('shows HTML and script in event fields as text and runs none of it', async () => {
    await sender.send('user.hostile', {
      'audit.event_source': '<i>billing</i>.example',
      'audit.event_name': HOSTILE_NAME,
      'audit.user_identity.type': 'User',
      'audit.user_identity.principal_id': '<b>mallory</b>',
    });
    const page = await openConsole();
    const cell = page.locator('td.event-name', { hasText: '<script>' });
    await cell.waitFor();
    expect(await cell.textContent()).toBe(HOSTILE_NAME);
    expect(
      await page.locator('table.events img, table.events script, table.events b, table.events i').count(),
    ).toBe(0);
    await page.locator('tr', { has: cell }).getByRole('button').click();
    expect(await page.getByRole('dialog').getByRole('heading', { level: 2 }).textContent()).toBe(
      HOSTILE_NAME,
    );
    expect(await page.evaluate('window.__consoleXss')).toBeUndefined();
    expect((page as Page & { errors?: string[] }).errors).toEqual([]);
    await page.close();
  });

  it('opens an event from the keyboard alone', async () => {
    const page = await openConsole();
    await page.locator('table.events tbody tr').first().waitFor();
    const firstRowButton = page.locator('table.events tbody tr').first().getByRole('button');
    for (
      let i = 0;
      i < 40 && !(await firstRowButton.evaluate((node) => node === node.ownerDocument.activeElement));
      i++
    )
      await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await page.close();
  });

  it('lists an event the Lake rejected, with its error code, and counts it', async () => {
    emulator.setFaults({ failEvents: [{ id: 'console-rejected-1', errorCode: 'InvalidData' }] });
    await sender.send('user.rejected', {
      'audit.id': 'console-rejected-1',
      'audit.event_source': 'billing.example',
      'audit.event_name': 'DeleteRecord',
      'audit.user_identity.type': 'User',
      'audit.user_identity.principal_id': 'carol',
    });
    emulator.setFaults({});
    expect(sender.exporter.stats.rejected).toBe(1);
    const page = await openConsole('#rejected');
    const row = page.locator('table.rejected-events tbody tr', { hasText: 'console-rejected-1' });
    await row.waitFor();
    expect(await row.locator('.error-code').textContent()).toBe('InvalidData');
    expect(await row.textContent()).toContain('DeleteRecord');
    expect(await page.locator('[data-failed-code="InvalidData"]').textContent()).toBe('1');
    await screenshot(page, 'rejected');
    await page.close();
  });

  it('charts events per minute by event name, with the ingestion counters', async () => {
    await sender.send('chart.me', {
      'audit.event_source': 'chart.example',
      'audit.event_name': 'Charted',
      'audit.user_identity.type': 'User',
      'audit.user_identity.principal_id': 'erin',
    });
    const page = await openConsole('#timeline');
    const bars = page.locator('svg.timeline-chart rect');
    await bars.first().waitFor();
    const heights = await bars.evaluateAll((nodes) =>
      nodes.map((node) => Number(node.getAttribute('height'))),
    );
    expect(heights.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(await page.locator('.legend li').allTextContents()).toContain('Charted (1)');
    expect(await page.locator('[data-counter="accepted"]').textContent()).toBe(
      String(emulator.stats.acceptedEvents),
    );
    await screenshot(page, 'timeline');
    await page.close();
  });

  it('runs a sample query through StartQuery and GetQueryResults, with its status and pages of rows', async () => {
    for (let i = 0; i < 11; i++)
      await sender.send('page.fill', {
        'audit.event_source': 'paging.example',
        'audit.event_name': `Fill${i}`,
        'audit.user_identity.type': 'User',
        'audit.user_identity.principal_id': 'pager',
        'audit.source_ip_address': '203.0.113.99',
      });
    const page = await openConsole('#query');
    const sql = page.getByLabel('SQL');
    await page.getByLabel('Sample queries').selectOption({ label: 'Actions by source IP' });
    await expect.poll(() => sql.inputValue()).toContain(`FROM ${emulator.eventDataStoreId}`);
    await page.getByRole('button', { name: 'Run query' }).click();
    const rows = page.locator('table.query-rows tbody tr');
    await rows.first().waitFor();
    expect(await page.locator('#query-status').textContent()).toMatch(
      /^FINISHED · \d+ ms · \d+ events scanned/,
    );
    expect(await rows.filter({ hasText: '203.0.113.99' }).locator('td').allTextContents()).toEqual([
      '203.0.113.99',
      '11',
      '1',
    ]);
    await screenshot(page, 'query');

    await page.getByLabel('Rows per page').selectOption('10');
    await sql.fill(
      `SELECT eventData.eventName FROM ${emulator.eventDataStoreId} WHERE eventData.eventSource = 'paging.example' ORDER BY eventData.eventName`,
    );
    await sql.press('Control+Enter');
    await expect.poll(() => rows.count()).toBe(10);
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => rows.allTextContents()).toEqual(['Fill9']);
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await expect.poll(() => rows.count()).toBe(10);
    await page.close();
  });

  it('shows a query error in words', async () => {
    const page = await openConsole('#query');
    await page.getByLabel('SQL').fill('SELECT nonsense FROM nowhere_at_all');
    await page.getByRole('button', { name: 'Run query' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/nonsense|nowhere_at_all/);
    await page.close();
  });

  it('fits a narrow window without sideways scrolling, and follows the dark colour scheme', async () => {
    const page = await openConsole('', { width: 390, height: 800 });
    await page.locator('table.events tbody tr').first().waitFor();
    const overflow = await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'events-narrow');
    const light = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await page.evaluate('getComputedStyle(document.body).backgroundColor');
    expect(light).toBe('rgb(255, 255, 255)');
    expect(dark).toBe('rgb(13, 17, 23)');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('table.events tbody tr').nth(10).waitFor();
    await page.screenshot({ path: new URL('overview.png', ARTIFACTS_DIR).pathname });
    await page.close();
  });
});

describe.runIf(runBrowserTests)('the browser console on an emulator that checks credentials', () => {
  it('asks for the admin token, keeps it for the tab, and then shows the data', async () => {
    const emulator = await startEmulator({
      port: 0,
      log: () => undefined,
      credentials: [
        {
          accessKeyId: 'AKIDCONSOLEVIEWS0001',
          secretAccessKey: 'console-views-secret',
          accountId: '123456789012',
        },
      ],
    });
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(`${emulator.url}/#timeline`);
      const dialog = page.getByRole('dialog', { name: 'Admin token' });
      await dialog.waitFor();
      await screenshot(page, 'token-prompt');
      await dialog.getByLabel('Admin token').fill(emulator.adminToken);
      await dialog.getByLabel('Admin token').press('Enter');
      await page.locator('[data-counter="accepted"]').waitFor();
      expect(await page.evaluate('Object.values(sessionStorage)')).toEqual([emulator.adminToken]);
      await page.reload();
      await page.locator('[data-counter="accepted"]').waitFor();
      expect(await dialog.isVisible()).toBe(false);
    } finally {
      await browser.close();
      await emulator.close();
    }
  });
});
