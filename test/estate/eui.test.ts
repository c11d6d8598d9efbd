import { describe, expect, it } from 'vitest';
import { deviceEuiHigh, deviceEuiLow, euiOfDevice, euiOfHub, hubEuiHigh, hubEuiLow, indexOfEui } from '../../src/estate/index.js';

describe('EUI-64 identifiers', () => {
  it('are 16 upper-case hex digits, unique over hubs and devices', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) {
      for (const eui of [euiOfHub(i), euiOfDevice(i)]) {
        if (!/^[0-9A-F]{16}$/.test(eui)) throw new Error(`bad EUI ${eui}`);
        seen.add(eui);
      }
    }
    expect(seen.size).toBe(400_000);
  });

  it('carry the 00-DB-12 prefix and a kind byte, and the numeric halves match the text', () => {
    expect(euiOfHub(0).slice(0, 8)).toBe('00DB1200');
    expect(euiOfDevice(0).slice(0, 8)).toBe('00DB1201');
    for (const i of [0, 1, 123_456, 59_999_999, 0xffffffff]) {
      expect(euiOfHub(i)).toBe(hubEuiHigh(i).toString(16).padStart(8, '0').toUpperCase() + hubEuiLow(i).toString(16).padStart(8, '0').toUpperCase());
      expect(euiOfDevice(i)).toBe(deviceEuiHigh(i).toString(16).padStart(8, '0').toUpperCase() + deviceEuiLow(i).toString(16).padStart(8, '0').toUpperCase());
      expect(hubEuiLow(i)).toBeLessThanOrEqual(0xffffffff);
    }
    // Neighbouring hubs do not get neighbouring numbers.
    expect(Math.abs(hubEuiLow(1) - hubEuiLow(0))).toBeGreaterThan(1000);
  });

  it('map back to the hub or device they name', () => {
    for (const i of [0, 7, 19_999_999, 59_999_999]) {
      expect(indexOfEui(euiOfHub(i))).toEqual({ kind: 'hub', index: i });
      expect(indexOfEui(euiOfDevice(i))).toEqual({ kind: 'device', index: i });
    }
    const dashed = euiOfHub(42).match(/../g)!.join('-');
    expect(indexOfEui(dashed)).toEqual({ kind: 'hub', index: 42 });
    expect(indexOfEui('00DB123456789 0A0')).toBeNull();
    expect(indexOfEui('90B3D51F30020000')).toBeNull();
  });
});
