/**
 * A run's feeds are spelled on the feeds thread (src/twin-thread.ts) from
 * batches of row snapshots, or on the simulation thread by the recorders
 * directly (`feedsThread: false`): the bytes must not tell which. Each case
 * runs both ways, recorded, and compares every file but the event log (where
 * a record falls between slices, which follow the wall clock, is not fixed).
 * The cases reach the paths the operations carry: alerts of every region
 * and SMETS1 (CSP North records, forwards, S1SP audit, deliveries with
 * retries while a gateway is down), DUIS bodies of alerts and responses,
 * Service Requests through business processes, the firmware path's DCC
 * Alerts with their DUIS bodies, outages and incidents written at the end.
 * The batches are made tiny, so that every kind of operation meets a batch's
 * end (what a 1 MiB batch does only now and then), and some are too wide for
 * one.
 * (Built sources run the thread: `npm test` builds first.)
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { runTwin } from '../../src/twin.js';
import { fileHashes } from '../support/hashes.js';

const CASES: Record<string, string> = {
  'storm with a gateway down': `seed: 17
duration: 2h
estate: { hubs: 6000 }
events:
  - { type: powerOutage, at: 30m, regions: [north, central, south], share: 0.3, duration: 45m, restorationSpread: 2m }
  - { type: serviceUserOutage, at: 29m, user: DNO-SSEN, duration: 20m }
`,
  'working day with a storm': `seed: 5
duration: 4h
estate: { hubs: 3000 }
requests: { secmp0053: true }
events:
  - { type: powerOutage, at: 1h, regions: [north, south], share: 0.2, duration: 30m, restorationSpread: 5m }
`,
  'firmware campaign': `seed: 31
duration: 1d
estate: { hubs: 2500 }
events:
  - { type: firmwareCampaign, at: 1h, deviceType: esme, toVersion: 2.2.0, count: 1500, perHour: 400 }
  - { type: firmwareCampaign, at: 2h, deviceType: hub, toVersion: 3.1.0, count: 300, perHour: 200 }
`,
};

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function run(text: string, feedsThread: boolean, feedsBatchSlots?: number) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-thread-'));
  dirs.push(dir);
  const log = path.join(dir, 'run.twinlog');
  const result = await runTwin(parseScenario(text, 'case.yaml'), { outDir: dir, record: log, feedsThread, feedsBatchSlots });
  const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { files: unknown[] };
  return { result, files: fileHashes(dir, ['run.twinlog']), manifestFiles: manifest.files };
}

describe('the feeds thread writes what the simulation thread would', () => {
  for (const [name, text] of Object.entries(CASES)) {
    it(name, async () => {
      // 37 numbers: every kind of operation meets a batch's end often, and an answered request (38) has a batch of its own.
      const threaded = await run(text, true, 37);
      const direct = await run(text, false);
      // Something was written: every case has alerts, and its DUIS bodies.
      expect(Object.keys(threaded.files).some((f) => f.startsWith('feeds/duis/'))).toBe(true);
      expect(threaded.result.files.reduce((n, f) => n + f.records, 0)).toBeGreaterThan(1000);
      expect(threaded.files).toEqual(direct.files);
      expect(threaded.manifestFiles).toEqual(direct.manifestFiles);
      expect(threaded.result.files).toEqual(direct.result.files);
      expect(threaded.result.log?.bytes).toBeGreaterThan(0);
      expect(threaded.result.warnings).toEqual(direct.result.warnings);
    });
  }
});

describe('a feeds thread that cannot start', () => {
  it('fails the run with its own error while the simulation goes ahead: here, an event log that cannot be created', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-thread-'));
    dirs.push(dir);
    // The log's directory is a file: the thread fails to set up, after the simulation has started without it.
    const inTheWay = path.join(dir, 'a-file');
    writeFileSync(inTheWay, 'not a directory');
    const outDir = path.join(dir, 'run');
    const scenario = parseScenario(CASES['working day with a storm'], 'case.yaml');
    await expect(runTwin(scenario, { outDir, record: path.join(inTheWay, 'run.twinlog'), feedsBatchSlots: 37 })).rejects.toThrow(
      expect.objectContaining({ name: 'OutputError', message: expect.stringMatching(/cannot create the log .*a-file\/run\.twinlog/) }),
    );
    // Visibly not a whole run: no manifest.
    expect(existsSync(path.join(outDir, 'manifest.json'))).toBe(false);
  });
});
