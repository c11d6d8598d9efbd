/** The firmware flow (SRV 11.1 / 11.3, Comms Hub firmware) and its feeds. */
export { FirmwareFlow } from './flow.js';
export { writeFirmwareFeeds, campaignId } from './recorder.js';
export { DEFAULT_FIRMWARE, type FirmwareParams } from './params.js';
export { CspDistributor, type DistributionMode } from './distribution.js';
