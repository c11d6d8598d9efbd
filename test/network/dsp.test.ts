import { describe, expect, it } from 'vitest';
import { OutageGate, OutageWindows } from '../../src/engine/resources/index.js';
import { RandomStreams } from '../../src/engine/random.js';
import { DEFAULT_DSP, Dsp, readDsp, type DspConfig } from '../../src/network/dsp.js';
import { ParamReader, type Path } from '../../src/params/read.js';

const config: DspConfig = {
  validation: { dist: 'constant', value: 100 },
  rejectionShare: 0,
  routing: { dist: 'constant', value: 50 },
  throttlePerUserPerSecond: 10, // one per 100 ms per User
  handshakeTimeout: 30_000,
  retryDelays: [60_000],
  failedQueueRetention: 172_800_000,
  outageMode: 'hold',
  requests: DEFAULT_DSP.requests,
};

describe('Dsp', () => {
  it('throttles each User at throttlePerUserPerSecond', () => {
    const dsp = new Dsp(config, new RandomStreams(1), 2, new OutageGate(new OutageWindows([]), () => 'hold'));
    expect(dsp.validation()).toBe(100);
    expect(dsp.routing()).toBe(50);
    expect(dsp.throttle.pass(0, 1000)).toBe(1000);
    expect(dsp.throttle.pass(0, 1000)).toBe(1100);
    expect([dsp.throttle.lastHeld, dsp.throttle.lastSequence, dsp.throttle.lastAhead]).toEqual([true, 1, 1]);
    expect(dsp.throttle.pass(1, 1000)).toBe(1000);
  });

  it('reads its parameters from file units and checks the DUIS first-retry rule', () => {
    const problems: Array<[Path, string]> = [];
    const r = new ParamReader((path, message) => problems.push([path, message]));
    const d = readDsp(r, ['components', 'dsp'], { handshakeTimeout: '45s', retryDelays: ['6m'], throttlePerUserPerSecond: 20 });
    expect(d.handshakeTimeout).toBe(45_000);
    expect(d.throttlePerUserPerSecond).toBe(20);
    expect(d.validation).toEqual(DEFAULT_DSP.validation);
    expect(problems).toEqual([
      [['components', 'dsp', 'retryDelays', 0], 'the first retry must fall within 5m of the first attempt (DUIS); it falls at 6m'],
    ]);
  });
});
