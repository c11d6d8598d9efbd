/**
 * The Service Request Variants (SRVs) the twin simulates, defined once: what
 * each targets, its Target Response Time (TRT), how it may be timed, how the
 * DSP retries it and whether its response travels as GBT blocks.
 *
 * Sources: seed 004 (SECMP0122 PIA) section 2.3.2 Table 1, "Business
 * processes and Applicable SRVs", for the list and the processes; section
 * 2.4 for 2.2, 4.6.1, 5.1, 6.23, 11.1, 11.3; seed 002 (SECMP0053 PIA) for the
 * TRTs (30 s on demand, 24 h for deferred SRVs, 5600 s for 4.8.1 after the
 * modification; 6.14.1, 6.14.2 and 7.9 from 24 h to 30 s) and section 3.5.1
 * for the retry intervals and maximum completion times of 4.6.1, 4.8.2,
 * 4.8.3 and 4.10. SEC Appendix E (the full TRT schedule) is not among the
 * seeds: an entry whose TRT or target is not in them says "assumption".
 * SRV numbers are spelled as DUIS V5.4 spells them (duis54.xsd
 * ServiceReferenceVariant).
 */

const SECOND = 1_000;
const HOUR = 3_600 * SECOND;
const DAY = 24 * HOUR;

/** Where the request is carried out: a device on the HAN, the hub function, or the DSP alone. */
export const SRV_TARGETS = ['ESME', 'GSME', 'GPF', 'CHF', 'PPMID', 'DSP'] as const;
export type SrvTarget = (typeof SRV_TARGETS)[number];

/** On demand (now), future-dated (executed at a time the User gives) or scheduled (the DSP runs it at each execution time). */
export const SRV_TIMINGS = ['onDemand', 'futureDated', 'scheduled'] as const;
export type SrvTiming = (typeof SRV_TIMINGS)[number];

export interface SrvRetry {
  /** Delay from one attempt to the next, ms ("40:40:40" is three retries 40 s apart). */
  intervals: number[];
  /** Maximum expected completion time, ms (seed 002, 3.5.1). */
  maxCompletion: number;
}

export interface SrvDef {
  srv: string;
  name: string;
  target: SrvTarget;
  /** Target Response Time, ms, before SECMP0053. */
  trt: number;
  /** Target Response Time once SECMP0053 applies (absent: unchanged). */
  trtSecmp0053?: number;
  /** SMETS1 devices have their own TRT (absent: the same). */
  trtSmets1?: number;
  /** Timings a User may ask for; the first is the usual one. */
  timings: SrvTiming[];
  /** 24-hour SRVs are deferred by the DSP for slower processing (seed 002, 3.1) unless SECMP0053 makes them on demand. */
  deferred: boolean;
  retry: SrvRetry | null;
  /** The response (profile data) travels as GBT blocks over the SMWAN (seed 002, footnote 1). */
  gbt: boolean;
  /** Carried out for SMETS1 devices too (seed 004 Table 1 marks "(n/a)" where not). */
  smets1: boolean;
  /** Business processes of seed 004 Table 1 it belongs to. */
  processes: string[];
  /** Only for premises in prepayment mode (a top-up has no meaning for a credit meter). */
  prepaymentOnly?: boolean;
  /** Handled by another flow (firmware): not generated as request traffic. */
  flow?: 'firmware';
  source: string;
}

/** Seed 004 Table 1's business processes, as each SRV's `processes` spells them. */
export const BUSINESS_PROCESSES = [
  'Install and Commission',
  'Change of Supplier',
  'Change of Tenancy',
  'Tariff Updates',
  'Prepayment Top Up',
  'Billing',
  'In Life Device Management',
  'Distribution Networks Post I&C',
  'Security and Key Management',
  'Logistics',
] as const;
export type BusinessProcess = (typeof BUSINESS_PROCESSES)[number];

const T1 = 'seed 004 Table 1';
const ON_DEMAND_TRT = 'TRT 30 s on demand (seed 002, 2: "either 30 seconds or 24 hours")';
const fourtyX3: SrvRetry['intervals'] = [40 * SECOND, 40 * SECOND, 40 * SECOND];

function od(srv: string, name: string, target: SrvTarget, processes: string[], source: string, more: Partial<SrvDef> = {}): SrvDef {
  return {
    srv,
    name,
    target,
    trt: 30 * SECOND,
    timings: ['onDemand', 'futureDated'],
    deferred: false,
    retry: null,
    gbt: false,
    smets1: true,
    processes,
    source: `${source}; ${ON_DEMAND_TRT}`,
    ...more,
  };
}

export const SRV_CATALOGUE: readonly SrvDef[] = [
  od('1.1.1', 'Update Import Tariff (Primary Element)', 'ESME', ['Install and Commission', 'Change of Supplier', 'Change of Tenancy', 'Tariff Updates', 'In Life Device Management'], T1),
  od('1.6', 'Update Payment Mode', 'ESME', ['Change of Tenancy', 'In Life Device Management'], T1),
  od('2.1', 'Update Prepay Configuration', 'ESME', ['In Life Device Management'], T1),
  od('2.2', 'Top Up Device', 'ESME', ['Prepayment Top Up'], `${T1}; 2.4.4 PP1 (prepayment meters only)`, { timings: ['onDemand'], prepaymentOnly: true }),
  od('3.2', 'Restrict Access for Change of Tenancy', 'ESME', ['Change of Tenancy'], T1),
  od('3.5', 'Disable Privacy PIN', 'ESME', ['Change of Tenancy'], `${T1}; target ESME is an assumption`),
  od('4.6.1', 'Retrieve Import Daily Read Log', 'ESME', ['Billing'], 'seed 004 2.4.3 B2; seed 002 3.5.1 (retry 1840 s, completion 3900 s)', {
    timings: ['onDemand'],
    retry: { intervals: [1840 * SECOND, 1840 * SECOND], maxCompletion: 3900 * SECOND },
  }),
  od('4.8.1', 'Read Active Import Profile Data', 'ESME', ['Billing'], 'seed 002 2, Requirement 2 (30 s, 5600 s after SECMP0053); footnote 1 (GBT blocks)', {
    timings: ['onDemand'],
    trtSecmp0053: 5600 * SECOND,
    gbt: true,
  }),
  od('4.8.2', 'Read Reactive Import Profile Data', 'ESME', ['Billing'], 'seed 002 3.5.1 (40:40:40, 900 s); GBT is an assumption (profile data, as 4.8.1)', {
    timings: ['onDemand'],
    retry: { intervals: fourtyX3, maxCompletion: 900 * SECOND },
    gbt: true,
  }),
  od('4.8.3', 'Read Export Profile Data', 'ESME', ['Billing'], 'seed 002 3.5.1 (40:40:40, 1400 s); GBT is an assumption (profile data, as 4.8.1)', {
    timings: ['onDemand'],
    retry: { intervals: fourtyX3, maxCompletion: 1400 * SECOND },
    gbt: true,
  }),
  od('4.10', 'Read Network Data', 'ESME', ['Billing', 'Distribution Networks Post I&C'], 'seed 002 3.5.1 (40:40:40, 2600 s); GBT is an assumption (profile data)', {
    timings: ['onDemand'],
    retry: { intervals: fourtyX3, maxCompletion: 2600 * SECOND },
    gbt: true,
  }),
  {
    srv: '5.1',
    name: 'Create Schedule (scheduled meter reads)',
    target: 'ESME',
    trt: DAY,
    timings: ['scheduled'],
    deferred: false,
    retry: null,
    gbt: false,
    smets1: true,
    processes: ['Billing'],
    source: 'seed 004 2.4.3 B1 ("deliver read (or failure response) within 24hrs of start of execution time")',
  },
  od('6.5', 'Update Device Configuration (Voltage)', 'ESME', ['Distribution Networks Post I&C'], T1),
  od('6.8', 'Update Device Configuration (Billing Calendar)', 'ESME', ['Install and Commission', 'Change of Supplier'], T1),
  ...(['6.14.1', '6.14.2'] as const).map((srv) => ({
    srv,
    name: 'Auxiliary Load Control',
    target: 'ESME' as const,
    trt: DAY,
    trtSecmp0053: 30 * SECOND,
    timings: ['onDemand', 'futureDated'] as SrvTiming[],
    deferred: true,
    retry: null,
    gbt: false,
    smets1: true,
    processes: ['In Life Device Management'],
    source: 'seed 002 2, Requirement 1 (24 h to 30 s); 3.1 (processed as on demand, not deferred)',
  })),
  od('6.15.1', 'Update Security Credentials (Network Operator Certificates)', 'ESME', ['Distribution Networks Post I&C'], T1),
  od('6.15.2', 'Update Security Credentials (Device)', 'ESME', ['Security and Key Management'], T1, { smets1: false }),
  od('6.20.1', 'Set Device Configuration (Import MPxN)', 'ESME', ['Install and Commission'], T1, { smets1: false }),
  od('6.21', 'Request Handover of DCC Controlled Device', 'DSP', ['Install and Commission'], `${T1}; DSP-only is an assumption`, { smets1: false }),
  od('6.22', 'Configure Alert Behaviour', 'ESME', ['Distribution Networks Post I&C'], T1, { smets1: false }),
  od('6.23', 'Update Security Credentials (CoS)', 'ESME', ['Change of Supplier'], `${T1}; 2.4.2 CoS1`, { timings: ['onDemand'] }),
  {
    srv: '7.9',
    name: 'Add Auxiliary Load to Boost Button',
    target: 'ESME',
    trt: DAY,
    trtSecmp0053: 30 * SECOND,
    timings: ['onDemand', 'futureDated'],
    deferred: true,
    retry: null,
    gbt: false,
    smets1: true,
    processes: ['In Life Device Management'],
    source: 'seed 002 2, Requirement 1 (24 h to 30 s); 3.1',
  },
  od('8.1.1', 'Commission Device', 'DSP', ['Install and Commission'], `${T1}; DSP-only (inventory) is an assumption`, { timings: ['onDemand'] }),
  od('8.7.2', 'Join Service (Join GPF with GSME)', 'GPF', ['Install and Commission'], T1, { timings: ['onDemand'] }),
  od('8.11', 'Update HAN Device Log', 'CHF', ['Install and Commission'], T1, { timings: ['onDemand'] }),
  od('8.14.1', 'Communications Hub Status Update - Install Success', 'DSP', ['Install and Commission'], `${T1}; DOMAIN.md (installed with SMWAN)`, { timings: ['onDemand'], smets1: false }),
  od('8.14.2', 'Communications Hub Status Update - Install No SMWAN', 'DSP', ['Install and Commission'], 'DOMAIN.md (Install and Leave)', { timings: ['onDemand'], smets1: false }),
  od('8.14.3', 'Communications Hub Status Update - Fault Return', 'DSP', ['Logistics'], T1, { timings: ['onDemand'], smets1: false }),
  od('8.14.4', 'Communications Hub Status Update - No Fault Return', 'DSP', ['Logistics'], T1, { timings: ['onDemand'], smets1: false }),
  od('11.1', 'Update Firmware', 'CHF', ['In Life Device Management'], `${T1} (to every CHF within 5 days); 2.4.5 DF1`, {
    trt: 5 * DAY,
    timings: ['onDemand'],
    flow: 'firmware',
  }),
  od('11.3', 'Activate Firmware', 'ESME', ['In Life Device Management'], `${T1} (SMETS1: 5-day TRT); 2.4.5 DF3`, { trtSmets1: 5 * DAY }),
];

/**
 * The business process a request of `def` sent on its own belongs to: the
 * first Table 1 names, but a lone 1.1.1 is a tariff update and a lone 4.10
 * the network operator's read (it is their SRV, seed 004 Table 1).
 */
export function loneProcess(def: SrvDef): BusinessProcess {
  const own = def.srv === '1.1.1' ? 'Tariff Updates' : def.srv === '4.10' ? 'Distribution Networks Post I&C' : def.processes[0];
  return BUSINESS_PROCESSES[processIndex(own)];
}

/** Index of a business process in BUSINESS_PROCESSES (tables store processes by index). */
export function processIndex(name: string): number {
  const i = (BUSINESS_PROCESSES as readonly string[]).indexOf(name);
  if (i < 0) throw new RangeError(`unknown business process ${JSON.stringify(name)}`);
  return i;
}

const BY_SRV = new Map(SRV_CATALOGUE.map((d, i) => [d.srv, i]));

/** Every SRV number the catalogue holds, in catalogue order. */
export const SRV_NUMBERS: readonly string[] = SRV_CATALOGUE.map((d) => d.srv);

/** The catalogue entry of `srv` ("4.8.1"); throws a RangeError naming the known ones otherwise. */
export function srv(number: string): SrvDef {
  const i = BY_SRV.get(number);
  if (i === undefined) throw new RangeError(`unknown SRV ${JSON.stringify(number)} (known: ${SRV_NUMBERS.join(', ')})`);
  return SRV_CATALOGUE[i];
}

/** Index of `srv` in the catalogue (the journey stores SRVs by index). */
export function srvIndex(number: string): number {
  srv(number);
  return BY_SRV.get(number)!;
}

/**
 * The TRT that applies to `def` for a device of SMETS1 or not, with or
 * without SECMP0053's changes (seed 002: 6.14.1, 6.14.2, 7.9 to 30 s; 4.8.1 to 5600 s).
 */
export function targetResponseTime(def: SrvDef, secmp0053: boolean, smets1: boolean): number {
  if (smets1 && def.trtSmets1 !== undefined) return def.trtSmets1;
  return secmp0053 && def.trtSecmp0053 !== undefined ? def.trtSecmp0053 : def.trt;
}

/** Every SRV's Target Response Time, ms, for SMETS2 and SMETS1, with or without SECMP0053: looked up per request. */
export class TargetResponseTimes {
  private readonly smets2: Float64Array;
  private readonly smets1: Float64Array;

  constructor(secmp0053: boolean) {
    this.smets2 = Float64Array.from(SRV_CATALOGUE, (d) => targetResponseTime(d, secmp0053, false));
    this.smets1 = Float64Array.from(SRV_CATALOGUE, (d) => targetResponseTime(d, secmp0053, true));
  }

  /** `srv`: index into SRV_CATALOGUE. */
  of(srv: number, smets1: boolean): number {
    return smets1 ? this.smets1[srv] : this.smets2[srv];
  }
}

/** Is the SRV deferred for 24-hour processing? Not once SECMP0053 makes it on demand (seed 002, 3.1). */
export function isDeferred(def: SrvDef, secmp0053: boolean): boolean {
  return def.deferred && !(secmp0053 && def.trtSecmp0053 !== undefined);
}

/**
 * Response codes. Seed 004 2.3.1 Payload counts as failures only E201 and E212
 * (communications failure, timeout; written E20 and E21 in its 2.3.2 and in
 * DUIS V5.4's ResponseCode list). Seed 004 (section 3, "many of which are
 * valid failures for the DCC, such as authentication errors") and seed 003
 * section 4 (the DCC Exclusion List: "User action/error") name failures the
 * DCC does not count against itself: those are `excludable`. Assumption: the
 * DUIS codes for them (E1, E3) are chosen from DUIS V5.4's list without the
 * DUIS text that defines each, which is not among the seeds. `duis`: the
 * code as a DUIS ResponseCode spells it (duis54.xsd has E20 and E21, no E201, E212).
 */
export const RESPONSE_CODES = [
  { code: 'I0', duis: 'I0', meaning: 'success', failure: false, excludable: false },
  { code: 'E201', duis: 'E20', meaning: 'communications failure', failure: true, excludable: false },
  { code: 'E212', duis: 'E21', meaning: 'timeout', failure: true, excludable: false },
  { code: 'E1', duis: 'E1', meaning: 'authentication failure', failure: true, excludable: true },
  { code: 'E3', duis: 'E3', meaning: 'User error (request failed DSP validation)', failure: true, excludable: true },
] as const;
export type ResponseCode = (typeof RESPONSE_CODES)[number]['code'];

export const RC_SUCCESS = 0;
export const RC_COMMS_FAILURE = 1;
export const RC_TIMEOUT = 2;
export const RC_AUTHENTICATION = 3;
export const RC_USER_ERROR = 4;
