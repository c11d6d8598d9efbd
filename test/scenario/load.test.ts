import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDuration, parseInstant } from '../../src/params/duration.js';
import { loadScenario, parseScenario, ScenarioError } from '../../src/scenario/load.js';
import { scenarioJsonSchema } from '../../src/scenario/schema.js';
import { NETWORK_OPERATOR_AREAS } from '../../src/dcc/areas.js';
import { ALERT_CODES } from '../../src/dcc/alerts.js';
import { DEFAULT_CSP_NORTH, DEFAULT_DSP } from '../../src/network/index.js';

const FIVE_LINES = `name: five
seed: 42
duration: 6h
estate:
  hubs: 2500
`;

describe('parseDuration', () => {
  it.each([
    [350, 350],
    ['350', 350],
    ['350ms', 350],
    ['2s', 2_000],
    ['2.5s', 2_500],
    ['15m', 900_000],
    ['6h', 21_600_000],
    ['1d', 86_400_000],
    ['1h30m', 5_400_000],
    ['1d2h3m4s5ms', 93_784_005],
    ['PT15M', 900_000],
    ['PT1H30M', 5_400_000],
    ['P1DT2H', 93_600_000],
    ['PT0.5S', 500],
    [' 15m ', 900_000],
  ])('%j is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each([
    ['5 minutes', /not a duration: "5 minutes"/],
    ['', /not a duration: ""/],
    ['15x', /not a duration/],
    ['30m1h', /units must run from largest to smallest/],
    ['1m1m', /units must run from largest to smallest/],
    ['P', /not a duration/],
    ['PT', /not a duration/],
    ['-5s', /must not be negative/],
    [-1, /must not be negative \(got -1\)/],
    [Number.NaN, /not a duration/],
    [true, /not a duration: true/],
  ])('%j is refused', (text, message) => {
    expect(() => parseDuration(text)).toThrow(message);
  });
});

describe('parseInstant', () => {
  it('reads UTC instants and bare dates', () => {
    expect(parseInstant('2026-01-15T00:00:00Z')).toBe(Date.UTC(2026, 0, 15));
    expect(parseInstant('2026-01-15T08:30:05.25Z')).toBe(Date.UTC(2026, 0, 15, 8, 30, 5, 250));
    expect(parseInstant('2026-01-15')).toBe(Date.UTC(2026, 0, 15));
  });
  it.each(['2026-01-15T08:00:00', '2026-02-30T00:00:00Z', '2026-01-15T08:00:00+01:00', '15/01/2026', '2026-01-15T24:00:00Z'])(
    '%s is refused',
    (text) => {
      expect(() => parseInstant(text)).toThrow(/not a UTC date-time/);
    },
  );
});

describe('a five-line scenario', () => {
  const s = parseScenario(FIVE_LINES, 'scenarios/five.yaml');

  it('keeps what the file says', () => {
    expect(s.source).toBe('scenarios/five.yaml');
    expect(s.name).toBe('five');
    expect(s.seed).toBe(42);
    expect(s.duration).toBe(6 * 3_600_000);
    expect(s.estate.hubs).toBe(2500);
  });

  it('fills in the defaults', () => {
    expect(s.description).toBe('');
    expect(s.epoch).toBe(Date.UTC(2026, 0, 15));
    expect(s.estate.regionShares).toEqual({ north: 0.22, central: 0.27, south: 0.21, smets1: 0.3 });
    expect(s.estate.s1sps).toBe(3);
    expect(s.components.cspNorth).toEqual(DEFAULT_CSP_NORTH);
    expect(s.components.cspNorth.ad1Threshold).toBe(180_000);
    expect(s.components.dsp).toEqual(DEFAULT_DSP);
    expect(s.components.dsp.handshakeTimeout).toBe(30_000);
    expect(s.components.dsp.failedQueueRetention).toBe(2 * 86_400_000);
    expect(s.output).toEqual({ duisBodies: true, signPayloads: false, groundTruth: true });
    expect(s.events).toEqual([]);
    expect(s.background.map((b) => [b.code, b.perHubPerDay])).toEqual([
      ['8F3F', 0.05],
      ['810D', 0.2],
      ['8F0F', 0.15],
    ]);
  });

  it('has six network operators covering the 14 areas once, and five suppliers whose shares sum to 1', () => {
    const operators = s.serviceUsers.filter((u) => u.role === 'networkOperator');
    expect(operators.map((u) => u.id)).toEqual(['DNO-UKPN', 'DNO-NGED', 'DNO-SPEN', 'DNO-NPG', 'DNO-ENWL', 'DNO-SSEN']);
    expect(operators.find((u) => u.id === 'DNO-SSEN')!.areas).toEqual([17, 20]);
    expect(operators.flatMap((u) => u.areas).sort((a, b) => a - b)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]);
    const suppliers = s.serviceUsers.filter((u) => u.role === 'supplier');
    expect(suppliers.map((u) => u.id)).toEqual(['SUPPLIER-A', 'SUPPLIER-B', 'SUPPLIER-C', 'SUPPLIER-D', 'SUPPLIER-E']);
    expect(suppliers.reduce((a, u) => a + u.marketShare, 0)).toBeCloseTo(1, 12);
  });

  it('gives each scenario its own copies of the defaults', () => {
    s.components.dsp.retryDelays.push(1);
    s.serviceUsers[0].areas.push(99);
    const again = parseScenario(FIVE_LINES, 'five.yaml');
    expect(again.components.dsp.retryDelays).toEqual([60_000, 180_000]);
    expect(again.serviceUsers[0].areas).toEqual([10, 12, 19]);
  });

  it('resolves an empty file to all defaults, named after the file', () => {
    const e = parseScenario('', 'dir/empty.yml');
    expect(e.name).toBe('empty');
    expect(e.seed).toBe(1);
    expect(e.estate.hubs).toBe(10_000);
    expect(e.duration).toBe(86_400_000);
  });
});

describe('fields the file gives', () => {
  const s = parseScenario(
    `seed: 3
duration: PT2H
epoch: 2026-03-01T06:00:00Z
estate:
  regions: { north: 1 }
components:
  cspNorth:
    processing: { dist: lognormal, median: 0.4s, sigma: 0.1, max: 1s }
  commsHub:
    wanTransit:
      north: { dist: empirical, points: [[0, 0], [1s, 0.5], [3s, 1]] }
  dsp:
    retryDelays: [90s]
events:
  - type: powerOutage
    at: 1h
    areas: [17]
    duration: 45m
  - type: alertSurge
    at: 10m
    code: 8F3F
    perHubPerDay: 4
    duration: 20m
`,
    'given.yaml',
  );

  it('converts durations inside distributions and leaves sigma alone', () => {
    expect(s.components.cspNorth.processing).toEqual({ dist: 'lognormal', median: 400, sigma: 0.1, max: 1_000 });
    expect(s.components.commsHub.wanTransit.north).toEqual({
      dist: 'empirical',
      points: [
        [0, 0],
        [1_000, 0.5],
        [3_000, 1],
      ],
    });
    // The other regions and the rest of CSP North keep their defaults.
    expect(s.components.cspNorth.capacityPerSecond).toBe(DEFAULT_CSP_NORTH.capacityPerSecond);
    expect(s.components.commsHub.wanTransit.south.dist).toBe('lognormal');
  });

  it('counts regions left out of a given regions mapping as 0', () => {
    expect(s.estate.regionShares).toEqual({ north: 1, central: 0, south: 0, smets1: 0 });
  });

  it('fills event defaults and orders events by start', () => {
    expect(s.epoch).toBe(Date.UTC(2026, 2, 1, 6));
    expect(s.duration).toBe(7_200_000);
    expect(s.components.dsp.retryDelays).toEqual([90_000]);
    expect(s.events).toEqual([
      { type: 'alertSurge', at: 600_000, code: '8F3F', regions: ['north', 'central', 'south', 'smets1'], perHubPerDay: 4, duration: 1_200_000 },
      { type: 'powerOutage', at: 3_600_000, areas: [17], regions: [], share: 1, duration: 2_700_000, restorationSpread: 60_000 },
    ]);
  });
});

describe('overrides', () => {
  it('seed and until replace the file; events from `until` on are dropped', () => {
    const s = loadScenario('scenarios/storm-north-gateway-down.yaml', { seed: 99, until: 29.5 * 60_000 });
    expect(s.seed).toBe(99);
    expect(s.duration).toBe(1_770_000);
    // The gateway outage (29m) stays; the power outage (30m) would start after the end.
    expect(s.events.map((e) => e.type)).toEqual(['serviceUserOutage']);
  });

  it('without overrides the file wins', () => {
    const s = loadScenario('scenarios/storm-north-gateway-down.yaml');
    expect(s.seed).toBe(17);
    expect(s.duration).toBe(7_200_000);
    expect(s.events.map((e) => e.type)).toEqual(['serviceUserOutage', 'powerOutage']);
  });
});

describe('YAML and JSON', () => {
  it('give the same scenario', () => {
    const json = JSON.stringify({ name: 'five', seed: 42, duration: '6h', estate: { hubs: 2500 } }, null, 2);
    const a = parseScenario(FIVE_LINES, 'same.yaml');
    const b = parseScenario(json, 'same.json');
    expect({ ...b, source: a.source }).toEqual(a);
    // The extension picks the format unless it is given.
    expect(parseScenario(json, 'no-extension', 'json')).toEqual({ ...b, source: 'no-extension', name: 'five' });
  });

  it('JSON syntax errors are ScenarioErrors', () => {
    expect(() => parseScenario('{"seed": 1,}', 'x.json')).toThrow(ScenarioError);
  });
});

describe('a large file', () => {
  // 2^15 firmware versions of 1/2^15 each: shares that sum to exactly 1. Reading it took minutes
  // while every key was compared with every earlier key of its mapping (the duplicate-key check).
  const N = 32_768;
  const versions = Array.from({ length: N }, (_, i) => `      v${i}: ${1 / N}`);
  const text = ['seed: 1', 'estate:', '  firmware:', '    hub:', ...versions, ''].join('\n');

  it('loads, every key read', () => {
    const s = parseScenario(text, 'large.yaml');
    expect(Object.keys(s.estate.firmware.hub)).toHaveLength(N);
    expect(s.estate.firmware.hub[`v${N - 1}`]).toBe(1 / N);
  });

  it('still finds a key given twice, in its place', () => {
    const twice = text.replace(`      v${N - 1}:`, '      v7:');
    const e = (() => {
      try {
        parseScenario(twice, 'large.yaml');
      } catch (err) {
        return err as ScenarioError;
      }
      throw new Error('no error');
    })();
    expect(e.format()).toBe(`large.yaml:${N + 4}:7: YAML syntax error: Map keys must be unique`);
  });
});

describe('the bundled scenarios', () => {
  // Every bundled scenario (sweep files beside them are not scenarios).
  const bundled = readdirSync('scenarios').filter((f) => f.endsWith('.yaml') && !f.includes('sweep')).map((f) => f.slice(0, -'.yaml'.length));
  it('finds the bundled scenarios', () => expect(bundled.length).toBeGreaterThanOrEqual(10));
  for (const name of bundled) {
    it(`${name} loads and points editors at the schema`, () => {
      const file = `scenarios/${name}.yaml`;
      expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./scenario.schema.json');
      expect(loadScenario(file).name).toBe(name);
    });
  }

  it('working-day-small carries the default Service Request mix: business processes and the streams no process sends', () => {
    const r = loadScenario('scenarios/working-day-small.yaml').requests;
    expect(r?.processes.length).toBe(8);
    expect(r?.traffic.length).toBeGreaterThan(5);
  });

  it('storm-1m takes about a million hubs off power', () => {
    const s = loadScenario('scenarios/storm-1m.yaml');
    const outage = s.events[0];
    expect(outage.type).toBe('powerOutage');
    if (outage.type === 'powerOutage') expect(s.estate.hubs * outage.share).toBe(1_000_000);
  });
});

describe('the schema', () => {
  it('scenarios/scenario.schema.json is the exported schema', () => {
    expect(JSON.parse(readFileSync('scenarios/scenario.schema.json', 'utf8'))).toEqual(scenarioJsonSchema);
  });

  it('describes every property and closes every object', () => {
    const open: string[] = [];
    const undescribed: string[] = [];
    const walk = (node: unknown, where: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${where}[${i}]`));
      if (typeof node !== 'object' || node === null) return;
      const o = node as Record<string, unknown>;
      if (o.properties && !o.oneOf && o.additionalProperties !== false) open.push(where);
      if (o.properties) {
        for (const [k, v] of Object.entries(o.properties as object)) {
          // The tags of discriminated unions are described in each branch.
          if (!o.oneOf && typeof (v as { description?: unknown }).description !== 'string') undescribed.push(`${where}.${k}`);
        }
      }
      for (const [k, v] of Object.entries(o)) walk(v, `${where}/${k}`);
    };
    walk(scenarioJsonSchema, '#');
    expect(open).toEqual([]);
    expect(undescribed).toEqual([]);
  });

  it('names the known areas and alert codes', () => {
    expect(NETWORK_OPERATOR_AREAS.map((a) => a.id)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]);
    expect(NETWORK_OPERATOR_AREAS.filter((a) => a.region === 'north').map((a) => a.id)).toEqual([15, 16, 17, 18, 23]);
    expect(NETWORK_OPERATOR_AREAS.filter((a) => a.region === 'central').map((a) => a.id)).toEqual([10, 11, 13, 14, 21]);
    expect(NETWORK_OPERATOR_AREAS.filter((a) => a.region === 'south').map((a) => a.id)).toEqual([12, 19, 20, 22]);
    expect(ALERT_CODES).toContain('AD1');
    expect(ALERT_CODES).toHaveLength(14);
  });
});
