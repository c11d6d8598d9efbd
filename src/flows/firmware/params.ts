/**
 * The firmware flow's parameters, with their sources: image sizes, GBT blocks
 * and their pacing over each CSP's SMWAN, the HAN transfer, the device's
 * verification, activation, the SMETS1 Service Providers' upload and the
 * Comms Hub's own firmware. A campaign's event (scenario key
 * events[].firmwareCampaign) chooses the population, the rate and the image
 * size; the rest are these defaults.
 *
 * Sources: seed 004 Figure 1 (SR11.1: the image at every relevant CHF within
 * 5 days; SR11.3; SMETS1 5-day TRT), 2.4.5 DF1-DF3 and 2.4.6 CH1-CH2; seed 002
 * (GBT blocks over the SMWAN at one packet per ten seconds on CSP North);
 * seed 000 CR1421, CR1423, CR1440. Every other number is an assumption, named
 * as such.
 */
import type { DistributionSpec } from '../../engine/distributions.js';
import type { FirmwareKind } from '../../estate/estate.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface FirmwareParams {
  /** Image size in bytes per firmware kind (a campaign's imageSize replaces it). */
  imageBytes: Record<FirmwareKind, number>;
  /** Bytes of image per GBT block. */
  blockBytes: number;
  /** Per CSP region (North, Central, South): one block per hub every this many ms at full pace. */
  blockIntervalMs: [number, number, number];
  /** Pace of firmware blocks during the working day (08:00-20:00 UTC) relative to the night. */
  dayPace: number;
  /** Share of a CSP's capacity firmware may use, out of what alerts and requests leave. */
  capacityShare: number;
  /** How often a CSP hands out blocks (ms): its distribution tick. */
  tickMs: number;
  /** Chance that one block is lost and sent again. */
  blockLoss: number;
  /** Attempts per block before the CSP gives the hub up. */
  blockAttempts: number;
  /** Share of commissioned hubs the CSP cannot reach for a campaign (coverage, faults). */
  unreachableShare: number;
  /** SR11.1's target: the image at every relevant CHF within this (ms). */
  distributionTarget: number;
  /** The CHF's transfer of the image to the device over the HAN. */
  hanTransfer: DistributionSpec;
  /** After the HAN transfer: the device checks the image and raises 8F72 or 8F1C. */
  verification: DistributionSpec;
  /** Of acknowledging devices: verification fails (8F1C), or the device stays silent. */
  verificationFailure: number;
  silence: number;
  /** A device silent this long after the image reached its CHF failed to transfer (DF2: "after the SLA has elapsed"). */
  verificationDeadline: number;
  /** The User's delay from learning the image is on the device to sending SRV 11.3. */
  activationDelay: DistributionSpec;
  /** SMETS1: the S1SP's upload of the image to a device (round trip), and its chance of failing. */
  s1spUpload: DistributionSpec;
  s1spUploadFailure: number;
  /** Comms Hub firmware (CR1423): from the image at the CHF to its activation, and its chance of failing. */
  hubActivation: DistributionSpec;
  hubActivationFailure: number;
}

export const DEFAULT_FIRMWARE: FirmwareParams = {
  // Assumption: images of a few hundred kilobytes (meters), larger for the hub, smaller for a PPMID.
  imageBytes: { hub: 480_000, esme: 300_000, gsme: 300_000, ppmid: 120_000 },
  // Assumption: about a kilobyte of image per GBT block once headers are paid.
  blockBytes: 1_200,
  // Seed 002: CSP North carries GBT at one packet per ten seconds. Assumption: Central
  // (cellular) and South (mesh) pace at one per 2 s and one per 3 s.
  blockIntervalMs: [10 * SECOND, 2 * SECOND, 3 * SECOND],
  // Assumption: CSPs send firmware at half pace while the working day's reads and commands run.
  dayPace: 0.5,
  // Assumption: firmware is background traffic: at most half of what alerts and requests leave.
  capacityShare: 0.5,
  tickMs: 10 * SECOND,
  // Assumption: 2% of blocks are resent; a block failing 5 times gives the hub up.
  blockLoss: 0.02,
  blockAttempts: 5,
  // Assumption: half a per cent of hubs out of reach for the length of a campaign.
  unreachableShare: 0.005,
  // Seed 004 Figure 1, SR11.1: "delivered to all relevant Communications Hub Functions within 5 days".
  distributionTarget: 5 * DAY,
  // Assumption: tens of minutes over the ZigBee HAN.
  hanTransfer: { dist: 'lognormal', median: 20 * MINUTE, sigma: 0.5, max: 6 * HOUR },
  verification: { dist: 'uniform', min: 30 * SECOND, max: 5 * MINUTE },
  // Assumption: 2% fail verification, 1% never say.
  verificationFailure: 0.02,
  silence: 0.01,
  // Assumption: a day after the image reached the hub.
  verificationDeadline: DAY,
  activationDelay: { dist: 'lognormal', median: 10 * MINUTE, sigma: 0.8, max: 12 * HOUR },
  // Assumption: SMETS1 uploads take hours over the S1SPs' networks; 3% fail.
  s1spUpload: { dist: 'lognormal', median: 2 * HOUR, sigma: 0.6, max: 2 * DAY },
  s1spUploadFailure: 0.03,
  // Assumption: the CSP activates a hub's image within hours of delivery; 1% fail.
  hubActivation: { dist: 'lognormal', median: 2 * HOUR, sigma: 0.5, max: DAY },
  hubActivationFailure: 0.01,
};

/** GBT blocks of an image of `bytes`. */
export function blocksOf(bytes: number, p: FirmwareParams): number {
  return Math.max(1, Math.ceil(bytes / p.blockBytes));
}
