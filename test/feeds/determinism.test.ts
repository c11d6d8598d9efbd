/**
 * The same scenario and seed give the same bytes: every feed of three small
 * scenarios (background alerts only, a North storm, a working day with
 * Service Requests) is hashed and compared with the SHA-256 recorded in
 * test/feeds/feed-hashes.json before the run was made faster, and each is run
 * twice. A change that alters a feed's bytes fails here, naming the file; if
 * the change is meant, regenerate the fixture with DCC_TWIN_RECORD_HASHES=1
 * and say why in the commit.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { runTwin } from '../../src/twin.js';
import { fileHashes } from '../support/hashes.js';

const FIXTURE = path.join(import.meta.dirname, 'feed-hashes.json');

/** Small versions of the bundled scenarios (same events, fewer hubs, shorter where a day is too long for a test). */
const SCENARIOS: Record<string, string> = {
  'quiet-day-small': `seed: 1\nduration: 1d\nestate: { hubs: 3000 }\n`,
  'storm-north-area-small': `seed: 17\nduration: 2h\nestate: { hubs: 20000 }\nevents:\n  - { type: powerOutage, at: 30m, areas: [17], share: 1, duration: 45m, restorationSpread: 2m }\n`,
  'working-day-small-3k': `seed: 2026\nduration: 6h\nestate: { hubs: 3000 }\nrequests: { secmp0053: false }\n`,
};

const hashes = (dir: string) => fileHashes(dir);

async function run(name: string, duis: boolean): Promise<Record<string, string>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-determinism-'));
  try {
    const scenario = parseScenario(SCENARIOS[name], `${name}.yaml`);
    scenario.output.duisBodies = duis;
    await runTwin(scenario, { outDir: dir });
    return hashes(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const recording = process.env.DCC_TWIN_RECORD_HASHES === '1';
const recorded: Record<string, Record<string, string>> = recording ? {} : JSON.parse(readFileSync(FIXTURE, 'utf8'));

describe('feeds are byte-identical across runs and across changes to how they are written', () => {
  for (const name of Object.keys(SCENARIOS)) {
    it(`${name}: the recorded SHA-256 of every file, twice`, async () => {
      const first = await run(name, true);
      if (recording) {
        recorded[name] = first;
        writeFileSync(FIXTURE, JSON.stringify(recorded, null, 2) + '\n');
        return;
      }
      expect(first).toEqual(recorded[name]);
      expect(await run(name, true)).toEqual(first);
    }, 120_000);
  }
});
