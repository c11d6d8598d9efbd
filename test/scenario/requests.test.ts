/**
 * The scenario's `requests` section: defaults, and one clear line per
 * mistake with file:line:column (an unknown SRV, a firmware SRV, an SRV that
 * does not apply to SMETS1 or cannot be future-dated).
 */
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from '../../src/scenario/load.js';
import { defaultMix, defaultRequestTraffic } from '../../src/scenario/requests.js';
import { DEFAULT_PROCESS_OPTIONS, defaultProcesses } from '../../src/scenario/processes.js';

const problems = (yaml: string): string[] => {
  try {
    parseScenario(yaml, 'r.yaml');
  } catch (e) {
    if (e instanceof ScenarioError) return e.format().split('\n');
    throw e;
  }
  return [];
};

describe('the requests section', () => {
  it('is off when left out, and the default mix with {}', () => {
    expect(parseScenario('seed: 1', 'r.yaml').requests).toBeNull();
    const s = parseScenario('requests: {}', 'r.yaml');
    expect(s.requests).toEqual({ secmp0053: false, traffic: defaultRequestTraffic(), processes: defaultProcesses(), ...DEFAULT_PROCESS_OPTIONS });
    expect(parseScenario('requests: { secmp0053: true }', 'r.yaml').requests?.secmp0053).toBe(true);
  });

  it('defaults to about 4 requests a hub a day (2.2 billion a month for 32 million meters)', () => {
    const perHub = defaultMix().reduce((a, s) => a + s.perHubPerDay, 0);
    expect(perHub).toBeGreaterThan(3);
    expect(perHub).toBeLessThan(5);
  });

  it('runs the named processes only, with their defaults filled; `traffic` alone runs none', () => {
    const s = parseScenario('requests:\n  processes: { topUp: { attempts: 9 }, scheduledRead: {} }\n', 'r.yaml').requests!;
    expect(s.processes).toEqual([
      { ...defaultProcesses().find((p) => p.kind === 'topUp'), attempts: 9 },
      defaultProcesses().find((p) => p.kind === 'scheduledRead'),
    ]);
    expect(s.traffic).toEqual(defaultRequestTraffic());
    expect(parseScenario('requests:\n  traffic: [{ srv: "1.6", perHubPerDay: 1 }]\n', 'r.yaml').requests!.processes).toEqual([]);
  });

  it('names a process key it does not know, and an unknown shape, with line and column', () => {
    expect(problems('requests:\n  processes:\n    topUp: { shape: night }\n    installs: {}\n')).toEqual([
      'r.yaml:3:21: requests.processes.topUp.shape: unknown daily shape "night" (expected one of workingDay, overnightReads, installs, topUps, flat)',
      expect.stringMatching(/^r\.yaml:4:5: requests\.processes(\.installs)?: /),
    ]);
  });

  it('names a non-waiting User that is not one of the suppliers', () => {
    expect(problems('requests:\n  nonWaitingUsers: [SUPPLIER-A, DNO-UKPN]\n')).toEqual([
      'r.yaml:2:33: requests.nonWaitingUsers[1]: "DNO-UKPN" is not a supplier User of this scenario (suppliers: SUPPLIER-A, SUPPLIER-B, SUPPLIER-C, SUPPLIER-D, SUPPLIER-E)',
    ]);
  });

  it('names an unknown SRV with its line and column', () => {
    expect(problems('requests:\n  traffic:\n    - { srv: "9.9", perHubPerDay: 1 }\n')).toEqual([
      'r.yaml:3:14: requests.traffic[0].srv: unknown SRV "9.9" (expected one of 1.1.1, 1.6, 2.1, 2.2, 3.2, 3.5, 4.6.1, 4.8.1, 4.8.2, 4.8.3, 4.10, 5.1, 6.5, 6.8, 6.14.1, 6.14.2, 6.15.1, 6.15.2, 6.20.1, 6.21, 6.22, 6.23, 7.9, 8.1.1, 8.7.2, 8.11, 8.14.1, 8.14.2, 8.14.3, 8.14.4, 11.3)',
    ]);
  });

  it('refuses what an SRV cannot do', () => {
    const out = problems(`requests:
  traffic:
    - { srv: "11.1", perHubPerDay: 1 }
    - { srv: "8.14.1", perHubPerDay: 1, regions: [smets1] }
    - { srv: "2.2", perHubPerDay: 1, futureDatedShare: 0.5 }
    - { srv: "2.2", perHubPerDay: 1, days: 3 }
`);
    expect(out).toEqual([
      'r.yaml:3:14: requests.traffic[0].srv: SRV 11.1 (Update Firmware) belongs to the firmware flow, which this version does not simulate',
      'r.yaml:4:50: requests.traffic[1].regions: SRV 8.14.1 does not apply to SMETS1 devices (seed 004 Table 1: n/a)',
      'r.yaml:5:56: requests.traffic[2].futureDatedShare: SRV 2.2 cannot be future-dated (it is onDemand)',
      'r.yaml:6:44: requests.traffic[3].days: SRV 2.2 is not a profile read (only GBT reads take days)',
    ]);
  });
});
