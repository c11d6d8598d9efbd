/**
 * Comms Hub: the CHF (HAN side) receives a device's alert; the radio SDK (WAN
 * side) stamps HubTimestamp when it sends over the SMWAN. HubTimestamp is
 * therefore blind to processing inside the hub (seed 001, section 4.2:
 * "It would not identify any delay in the Comms Hub processing of an
 * Alert"); the processing delay is what separates the two.
 */
import { compile, type Sampler } from '../engine/distributions.js';
import type { RandomStreams } from '../engine/random.js';
import type { CommsHubConfig } from '../scenario/types.js';
import { REGION_COUNT, regionName } from './regions.js';

export class CommsHub {
  private readonly processingMs: Sampler;
  private readonly transit: Sampler[];
  private readonly sdkOffset: Sampler;
  private readonly restoration: Sampler;
  private readonly rng: () => number;

  constructor(readonly config: CommsHubConfig, streams: RandomStreams) {
    this.processingMs = compile(config.processing, streams.stream('commsHub/processing'));
    this.transit = [];
    for (let r = 0; r < REGION_COUNT; r++) {
      const name = regionName(r);
      this.transit.push(compile(config.wanTransit[name], streams.stream(`commsHub/wanTransit/${name}`)));
    }
    this.sdkOffset = compile(config.sdkClockOffset, streams.stream('commsHub/sdkClock'));
    this.restoration = compile(config.restorationAlertDelay, streams.stream('commsHub/restoration'));
    this.rng = streams.stream('commsHub/chance');
  }

  /** HAN receipt at the CHF to WAN send by the SDK, ms. */
  processing(): number {
    return Math.round(this.processingMs());
  }

  /** SMWAN transit to the CSP (or the S1SP's SMSO for SMETS1), ms. */
  wanTransit(region: number): number {
    return Math.round(this.transit[region]());
  }

  /** The HubTimestamp the SDK applies to a send at true time `wanSent`, or NaN when the record lacks one. */
  hubTimestamp(wanSent: number): number {
    if (this.rng() < this.config.hubTimestampMissingShare) return NaN;
    return wanSent + Math.round(this.sdkOffset());
  }

  /** Does this hub's last gasp reach the CSP when its power fails? */
  lastGaspReaches(): boolean {
    return this.rng() < this.config.lastGaspSuccessShare;
  }

  /** Power back to the meter's restoration alert, ms. */
  restorationDelay(): number {
    return Math.round(this.restoration());
  }
}
