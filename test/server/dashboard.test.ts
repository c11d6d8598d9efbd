/**
 * The dashboard in headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core): start a storm from the page, see the counters move while
 * it runs and settle on the server's final figures, and keep a screenshot
 * under the test's temporary directory. Skipped, saying why, where
 * /usr/bin/chromium is absent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { buildServer } from '../../src/server/app.js';

const CHROMIUM = '/usr/bin/chromium';
const present = fs.existsSync(CHROMIUM);
if (!present) console.warn(`dashboard test skipped: ${CHROMIUM} is absent (apt-get install chromium)`);

const STORM = `
name: dashboard-test-storm
seed: 5
duration: 2h
estate: { hubs: 60000 }
output: { duisBodies: false }
events:
  - { type: powerOutage, at: 20m, regions: [north, central, south, smets1], share: 0.1, duration: 30m, restorationSpread: 2m }
`;

describe.skipIf(!present)('the dashboard in headless Chromium', () => {
  let tmp: string;
  let base: string;
  let server: Awaited<ReturnType<typeof buildServer>>;
  let browser: BrowserContext;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-dashboard-'));
    fs.writeFileSync(path.join(tmp, 'storm.yaml'), STORM);
    server = await buildServer({ extraScenarios: [path.join(tmp, 'storm.yaml')] });
    base = await server.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.app.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('starts a storm, shows the counters moving, and settles on the final figures', async () => {
    const page = await browser.newPage();
    await page.goto(base + '/');
    await page.waitForSelector('#scenario option[value="dashboard-test-storm"]', { state: 'attached' });
    await page.selectOption('#scenario', 'dashboard-test-storm');
    expect(await page.inputValue('#hubs')).toBe('60000');
    await page.fill('#throttle', '20');
    // Every value the counters show, as the page changes them (a small storm runs in seconds).
    await page.evaluate(() => {
      const seen: Record<string, string[]> = { 'alerts-total': [], 'sim-time': [] };
      (window as unknown as { seen: typeof seen }).seen = seen;
      for (const id of Object.keys(seen)) {
        const el = document.getElementById(id)!;
        new MutationObserver(() => seen[id].push(el.textContent ?? '')).observe(el, { childList: true, characterData: true, subtree: true });
      }
    });
    await page.click('#start');
    await expect.poll(() => page.textContent('#phase'), { timeout: 60_000 }).toBe('final, exact');
    const seen = await page.evaluate(() => (window as unknown as { seen: Record<string, string[]> }).seen);
    const counts = seen['alerts-total'].map((t) => Number(t.replace(/,/g, '')));
    // Moving: several values on the way, never going down.
    expect(new Set(counts).size).toBeGreaterThan(2);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(new Set(seen['sim-time']).size).toBeGreaterThan(2);
    const shown = Number((await page.textContent('#alerts-total'))!.replace(/,/g, ''));
    const runs = await (await fetch(base + '/api/runs')).json();
    const final = await (await fetch(`${base}/api/runs/${runs.at(-1).id}/metrics`)).json();
    const all = final.metrics.a1.find((r: { region: string }) => r.region === 'All');
    expect(shown).toBe(all.alerts);
    expect(shown).toBeGreaterThan(0);
    expect(await page.locator('#per-minute polyline').count()).toBe(4);
    expect(await page.locator('#hops tbody tr').count()).toBeGreaterThan(5);
    const shot = path.join(tmp, 'dashboard.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
  });
});
