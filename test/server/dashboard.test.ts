/**
 * The dashboard in headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core): start a storm from the page, see the counters move while
 * it runs and settle on the server's final figures; replay a storm recorded
 * first with `run --record`'s recorder, picked from the page's recorded
 * runs, paused and resumed there, and compared with the same storm run live;
 * keep screenshots under the test's temporary directory. Skipped, saying
 * why, where /usr/bin/chromium is absent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { buildServer } from '../../src/server/app.js';
import { parseScenario } from '../../src/scenario/load.js';
import { runTwin } from '../../src/twin.js';
import { MemorySink } from '../../src/feeds/sink.js';

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

// Recorded before the server starts, and replayed at 60 simulated s per s: 40 minutes in 40 s.
const RECORDED = `
name: dashboard-replay-storm
seed: 11
duration: 40m
estate: { hubs: 20000 }
output: { duisBodies: false }
events:
  - { type: powerOutage, at: 5m, regions: [north, central, south, smets1], share: 0.2, duration: 15m, restorationSpread: 2m }
`;

/** Keeps every value the named counters show, as the page changes them. */
async function watch(page: Page, ids: string[]): Promise<void> {
  await page.evaluate((ids) => {
    const seen: Record<string, string[]> = {};
    (window as unknown as { seen: typeof seen }).seen = seen;
    for (const id of ids) {
      seen[id] = [];
      const el = document.getElementById(id)!;
      new MutationObserver(() => seen[id].push(el.textContent ?? '')).observe(el, { childList: true, characterData: true, subtree: true });
    }
  }, ids);
}
const seenOn = (page: Page) => page.evaluate(() => (window as unknown as { seen: Record<string, string[]> }).seen);
const count = (text: string | null) => Number((text ?? '').replace(/,/g, ''));

/** Several values on the way, never going down. */
function moving(values: string[]): void {
  const counts = values.map(count);
  expect(new Set(counts).size).toBeGreaterThan(2);
  expect(counts).toEqual([...counts].sort((a, b) => a - b));
}

describe.skipIf(!present)('the dashboard in headless Chromium', () => {
  let tmp: string;
  let base: string;
  let server: Awaited<ReturnType<typeof buildServer>>;
  let browser: BrowserContext;
  let log: string;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-dashboard-'));
    fs.writeFileSync(path.join(tmp, 'storm.yaml'), STORM);
    const recorded = path.join(tmp, 'recorded.yaml');
    fs.writeFileSync(recorded, RECORDED);
    log = path.join(tmp, 'recorded.twinlog');
    await runTwin(parseScenario(RECORDED, recorded), { outDir: tmp, sink: new MemorySink(), sourceText: RECORDED, record: log });
    server = await buildServer({ extraScenarios: [path.join(tmp, 'storm.yaml'), recorded], logs: [log] });
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
    // A small storm runs in seconds.
    await watch(page, ['alerts-total', 'sim-time']);
    await page.click('#start');
    await expect.poll(() => page.textContent('#phase'), { timeout: 60_000 }).toBe('final, exact');
    const seen = await seenOn(page);
    moving(seen['alerts-total']);
    expect(new Set(seen['sim-time']).size).toBeGreaterThan(2);
    const shown = count(await page.textContent('#alerts-total'));
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

  it('replays a recorded run picked on the page, pauses it, and compares it with the same storm run live', async () => {
    const page = await browser.newPage();
    await page.goto(base + '/');
    await page.waitForSelector(`#log option[value="${log}"]`, { state: 'attached' });
    expect(await page.isVisible('#recorded')).toBe(true);
    expect(await page.textContent('#log option')).toBe('dashboard-replay-storm, seed 11, 20,000 hubs, 40 min (recorded.twinlog)');

    // The same storm live first, so that the comparison has both.
    await page.selectOption('#scenario', 'dashboard-replay-storm');
    await page.click('#start');
    await expect.poll(() => page.textContent('#phase'), { timeout: 60_000 }).toBe('final, exact');
    const live = count(await page.textContent('#alerts-total'));
    expect(live).toBeGreaterThan(0);

    await watch(page, ['alerts-total', 'sim-time']);
    await page.selectOption('#log', log);
    // 60 simulated seconds a second: the 40 minutes take 40 s, time enough to pause after the
    // first alerts (5 minutes in) however slowly the page answers on a loaded machine.
    await page.selectOption('#speed', '60');
    await page.click('#replay');
    await expect.poll(async () => count(await page.textContent('#alerts-total')), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.click('#pause');
    await expect.poll(() => page.textContent('#status')).toMatch(/^run \d+ paused$/);
    const held = await page.textContent('#sim-time');
    await page.waitForTimeout(500);
    expect(await page.textContent('#sim-time')).toBe(held);
    await page.click('#resume');
    await expect.poll(() => page.textContent('#phase'), { timeout: 90_000 }).toBe('final, exact');
    const seen = await seenOn(page);
    moving(seen['alerts-total']);
    expect(new Set(seen['sim-time']).size).toBeGreaterThan(2);
    expect(await page.textContent('#sim-time')).toBe('00:40:00 (100%)');
    // The log holds feeds, not queues.
    expect(await page.textContent('#throttle-queue')).toBe('-');
    expect(count(await page.textContent('#alerts-total'))).toBe(live);
    const runs = await (await fetch(base + '/api/runs')).json();
    expect(runs.at(-1)).toMatchObject({ scenario: 'dashboard-replay-storm', state: 'finished', request: { log, speed: 60 } });

    // The replay (B, the last run) beside the live run (A): every figure the same.
    await expect.poll(() => page.textContent('#cmp-b option:checked')).toContain('replayed from recorded.twinlog, finished');
    await page.click('#compare');
    await page.waitForSelector('#cmp tbody tr');
    const table = await page.$$eval('#cmp tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
    expect(table.find((r) => r[0] === 'alerts')).toEqual(['alerts', live.toLocaleString('en-GB'), live.toLocaleString('en-GB'), '0']);
    expect(table.map((r) => r[3])).toEqual(table.map(() => '0'));
    const shot = path.join(tmp, 'dashboard-replay.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
  }, 180_000);
});
