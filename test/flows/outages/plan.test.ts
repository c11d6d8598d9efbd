/**
 * The outage plan alone: random failures from their own named streams (a new
 * one leaves the others' draws as they were), the gate each outage acts on,
 * and the SEC H8 warning counted per calendar month over overlapping windows.
 */
import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../../src/engine/random.js';
import { parseScenario } from '../../../src/scenario/load.js';
import { planOutages } from '../../../src/flows/outages/plan.js';

const plan = (text: string) => {
  const s = parseScenario(text, 'plan.yaml');
  return planOutages(s, new RandomStreams(s.seed));
};
const DSP_RANDOM = '{ subsystem: dsp, mtbf: 2d, mttr: { dist: constant, value: 1h } }';

describe('planOutages', () => {
  it('draws each random failure from its own stream: adding a gateway leaves the DSP\'s outages as they were', () => {
    const one = plan(`seed: 3\nduration: 31d\noutages: { random: [${DSP_RANDOM}] }`);
    const two = plan(`seed: 3\nduration: 31d\noutages: { random: [${DSP_RANDOM}, { serviceUser: SUPPLIER-B, mtbf: 3d, mttr: { dist: constant, value: 20m } }] }`);
    const dsp = (p: ReturnType<typeof plan>) => p.outages.filter((o) => o.target === 'dsp').map((o) => [o.start, o.end]);
    expect(dsp(one).length).toBeGreaterThan(5);
    expect(dsp(two)).toEqual(dsp(one));
    for (const [s, e] of dsp(one)) expect(e - s).toBe(3_600_000);
    expect(two.gatewayWindows.get('SUPPLIER-B')!.length).toBe(two.outages.filter((o) => o.target === 'gateway:SUPPLIER-B').length);
  });

  it('puts each outage on its gate: a component on its own, a User Interface sub-system on the DSP or its region, another service on none', () => {
    const p = plan(`
seed: 1
duration: 2d
events:
  - { type: subsystemOutage, at: 1h, subsystem: duiGateway, duration: 10m }
  - { type: subsystemOutage, at: 2h, subsystem: registrationDataInterface, duration: 10m }
  - { type: plannedMaintenance, at: 3h, subsystem: cspCentral, duration: 10m }
  - { type: componentOutage, at: 4h, component: cspNorth, duration: 10m }
outages:
  subsystems:
    - { name: northWanRouter, services: [dccUserInterface], region: North, resolverGroup: CSP, incidentCategory: 2 }
    - { name: duiGateway, services: [dccUserInterface], resolverGroup: DSP, incidentCategory: 1 }
    - { name: registrationDataInterface, services: [registrationDataInterface], resolverGroup: DCC, incidentCategory: 3 }
    - { name: cspCentral, services: [dccUserInterface], region: Central, resolverGroup: CSP, incidentCategory: 2 }
  random: [{ subsystem: northWanRouter, mtbf: 1d, mttr: { dist: constant, value: 5m } }]
`);
    expect(p.componentWindows.get('dsp')).toEqual([{ start: 3_600_000, end: 4_200_000 }]);
    expect(p.componentWindows.get('cspCentral')).toEqual([{ start: 10_800_000, end: 11_400_000 }]);
    // The componentOutage event is the network's own; the random router failures are CSP North's.
    const north = p.outages.filter((o) => o.target === 'northWanRouter').map((o) => ({ start: o.start, end: o.end }));
    expect(north.length).toBeGreaterThan(0);
    expect(p.componentWindows.get('cspNorth')).toEqual(north);
    expect([...p.componentWindows.keys()].sort()).toEqual(['cspCentral', 'cspNorth', 'dsp']);
  });

  it('warns per calendar month of Planned Maintenance over six hours, overlaps counted once', () => {
    const p = plan(`
seed: 1
epoch: "2026-01-31T20:00:00Z"
duration: 3d
events:
  - { type: plannedMaintenance, at: 0h, subsystem: smkiRepository, duration: 3h }
  - { type: plannedMaintenance, at: 1h, subsystem: selfServicePortal, duration: 3h }
  - { type: plannedMaintenance, at: 1d, subsystem: dsp, duration: 6h30m }
`);
    // January: 20:00-24:00 = 4 h (the two windows overlap 21:00-23:00); February 00:00 + 6.5 h on the 1st and 2nd.
    expect(p.warnings).toEqual([
      'planned maintenance in 2026-02 lasts 6.50 hours, over the 6 hours a month SEC Section H8 allows (seed 004, Requirement 3)',
    ]);
  });
});
