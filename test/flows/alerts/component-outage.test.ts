/**
 * Component outages: CSP North down for 10 minutes during a storm's
 * restoration, once holding traffic and once dropping it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../src/scenario/load.js';
import { runTwin } from '../../../src/twin.js';
import { parseTimestamp } from '../../../src/feeds/index.js';

const scenario = (mode: 'hold' | 'drop') => `
seed: 8
duration: 2h
estate: { hubs: 20000, regions: { north: 1 } }
background: []
components: { commsHub: { restorationAlertDelay: { dist: constant, value: 1s } } }
events:
  - { type: powerOutage, at: 10m, areas: [16], duration: 30m, restorationSpread: 4m }
  - { type: componentOutage, component: cspNorth, at: 41m, duration: 10m, mode: ${mode} }
`;

async function run(mode: 'hold' | 'drop') {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-co-'));
  try {
    const s = parseScenario(scenario(mode), 'outage.yaml');
    s.output.duisBodies = false;
    const r = await runTwin(s, { outDir: dir });
    const read = (f: string) => readFileSync(path.join(dir, f), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const rni = read('feeds/csp-north-rni.jsonl');
    const lost = read('ground-truth.jsonl').filter((x) => x.outcome === 'lost');
    return { r, times: rni.map((x) => parseTimestamp(x.timestamp) - s.epoch), lost };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('a CSP North outage', () => {
  it('holds traffic until it is back (nothing passes while down) or drops it', async () => {
    const hold = await run('hold');
    const drop = await run('drop');
    const inside = (t: number) => t >= 41 * 60_000 && t < 51 * 60_000;
    expect(hold.times.filter(inside)).toEqual([]);
    expect(drop.times.filter(inside)).toEqual([]);
    // Held: every restoration alert with WAN still arrives, the held ones just after 51m.
    expect(hold.r.alerts.lost).toBe(hold.r.alerts.lostNoWan);
    expect(hold.times.filter((t) => t >= 51 * 60_000 && t < 52 * 60_000).length).toBeGreaterThan(0);
    // Dropped: the alerts that met the outage are lost, and only those.
    const dropped = drop.r.alerts.lost - drop.r.alerts.lostNoWan;
    expect(dropped).toBeGreaterThan(0);
    expect(dropped + drop.times.length).toBe(hold.times.length);
    // The ground truth has each, with where and why.
    const at = (run: typeof drop, where: string, why: string) => run.lost.filter((x) => x.lostAt === where && x.lostReason === why && x.alertCode !== 'AD1').length;
    expect(at(drop, 'cspNorth', 'componentOutage')).toBe(dropped);
    expect(at(hold, 'cspNorth', 'componentOutage')).toBe(0);
    expect(at(drop, 'commsHub', 'noWan')).toBe(drop.r.alerts.lostNoWan);
  });
});
