/**
 * The scenario's `requests.processes`: Service Users' business processes
 * (seed 004 section 2.3.2 Table 1) as orchestrations of SRVs, one instance a
 * premises at a time: how many start a hub a day, over which daily shape,
 * and how the User handles a failed step. Type, defaults (with their
 * sources), schema fragment and reading live here together; the steps of
 * each process are in src/flows/requests/processes.ts.
 *
 * Volumes: the default mix's (src/scenario/requests.ts, about 4 requests a
 * hub a day: 2.2 billion messages a month for 32 million meters, DOMAIN.md
 * "Scale") moved from independent streams to the processes that send them:
 * each SRV keeps about the daily volume it had as a stream. Seed 003 section
 * 4: most processes need a step's success before the next is sent, but some
 * Users' orchestrations do not wait; their failures for it are excluded.
 */
import type { DistributionSpec } from '../engine/distributions.js';
import { distribution, duration, obj, share, type Schema } from '../params/schema.js';
import { asObj, type Obj, type ParamReader, type Path } from '../params/read.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

export const PROCESS_KINDS = [
  'installAndCommission',
  'changeOfSupplier',
  'changeOfTenancy',
  'changeOfMode',
  'tariffUpdate',
  'topUp',
  'scheduledRead',
  'onDemandRead',
] as const;
export type ProcessKind = (typeof PROCESS_KINDS)[number];

export interface ProcessConfig {
  kind: ProcessKind;
  /** Instances started per hub per day (topUp: per premises in prepayment mode). */
  perHubPerDay: number;
  /** Name of a daily shape (src/scenario/requests.ts DAILY_SHAPES). */
  shape: string;
  /** The User's sends of one step before it abandons the process (topUp: it resends until success, up to this). */
  attempts: number;
  /** The User's wait after a failed step before it resends it, ms. */
  resendDelay: number;
  /** Share of instances whose SRVs are future-dated (tariffUpdate). */
  futureDatedShare: number;
}

export interface ProcessesConfig {
  processes: ProcessConfig[];
  /** Share of installs without SMWAN: 8.14.2 alone (Install and Leave, DOMAIN.md). */
  installAndLeaveShare: number;
  /** Share of failed scheduled reads (5.1) the supplier chases with an on-demand read (4.6.1). */
  readChaseShare: number;
  /** Share of supplier Users whose orchestrations do not wait for a step's success (when nonWaitingUsers is not given). */
  nonWaitingShare: number;
  /** The Users that do not wait, by id; null: drawn by nonWaitingShare. */
  nonWaitingUsers: string[] | null;
  /** A waiting User's turnaround from a step's success to sending the next. */
  turnaround: DistributionSpec;
  /** A non-waiting User's gap from sending one step to sending the next, ms. */
  notWaitingGap: number;
}

function process(kind: ProcessKind, perHubPerDay: number, shape: string, attempts: number, resendDelay: number, futureDatedShare = 0): ProcessConfig {
  return { kind, perHubPerDay, shape, attempts, resendDelay, futureDatedShare };
}

/** Every number an assumption unless its comment names a source; volumes as the default mix's streams. */
export function defaultProcesses(): ProcessConfig[] {
  return [
    // 8.11, 6.21, 8.1.1 ... 8.14.1 at 0.0005 a hub a day (some thousands of installs a day across GB); 8.14.2 at 0.00002.
    // An installer retries a failed step twice, a couple of minutes apart, before leaving.
    process('installAndCommission', 0.00052, 'installs', 3, 2 * MINUTE),
    // 6.23 at 0.002 a hub a day; back-office processes resend after half an hour, twice.
    process('changeOfSupplier', 0.002, 'workingDay', 3, 30 * MINUTE),
    // 3.2, 3.5 at 0.0005.
    process('changeOfTenancy', 0.0005, 'workingDay', 3, 30 * MINUTE),
    // In Life Device Management's change of mode to prepayment (2.1, 1.6, 1.1.1): 2.1 at 0.001.
    process('changeOfMode', 0.001, 'workingDay', 3, 30 * MINUTE),
    // 1.1.1 was 0.02 a hub a day, half future-dated: the processes above send 0.004 of it.
    process('tariffUpdate', 0.016, 'workingDay', 3, 30 * MINUTE, 0.5),
    // 2.2 a few times a week per prepayment premises; the customer tries again a minute later until it works (seed 004 2.4.4 PP1 counts attempts before success).
    process('topUp', 0.5, 'topUps', 5, MINUTE),
    // 5.1: three scheduled reads a hub a day, run by the DSP (seed 004 2.4.3 B1).
    process('scheduledRead', 3, 'overnightReads', 1, 0),
    // 4.6.1 on demand (seed 004 2.4.3 B2): 0.3 a hub a day with the chases of failed scheduled reads.
    // The DSP retries it itself (seed 002 3.5.1); the User does not.
    process('onDemandRead', 0.25, 'workingDay', 1, 0),
  ];
}

export const DEFAULT_PROCESS_OPTIONS: Omit<ProcessesConfig, 'processes'> = {
  // Assumption: 8.14.2 at 0.00002 of 0.00052 installs a hub a day.
  installAndLeaveShare: 0.04,
  // Assumption: half the failed scheduled reads are chased by an on-demand read.
  readChaseShare: 0.5,
  // Assumption: one supplier in five runs orchestrations that do not wait (seed 003 section 4: "some Users").
  nonWaitingShare: 0.2,
  nonWaitingUsers: null,
  // Assumption: a few seconds from a response to the next request (the installer's handheld, a back-office system).
  turnaround: { dist: 'lognormal', median: 3 * SECOND, sigma: 0.5 },
  // Assumption: a non-waiting orchestration sends its SRVs a couple of seconds apart.
  notWaitingGap: 2 * SECOND,
};

const KIND_HELP: Record<ProcessKind, string> = {
  installAndCommission: 'Install and Commission (ESME, GSME, CH): 8.11, 6.21, 8.1.1 (ESME; GSME), 8.7.2, 6.20.1, 1.1.1, 6.8, 8.14.1 (seed 004 Table 1); installs without SMWAN send 8.14.2',
  changeOfSupplier: 'Change of Supplier (gain): 6.23, 1.1.1, 6.8, sent by the gaining supplier',
  changeOfTenancy: 'Change of Tenancy: 3.2, 3.5, 1.1.1, 1.6',
  changeOfMode: 'In Life Device Management, change of mode to prepayment: 2.1, 1.6, 1.1.1',
  tariffUpdate: 'Tariff Updates: 1.1.1',
  topUp: 'Prepayment Top Up: 2.2, resent by the User until it succeeds (per premises in prepayment mode)',
  scheduledRead: 'Billing: 5.1, the DSP runs the schedule; a failed read may be chased by 4.6.1',
  onDemandRead: 'Billing: 4.6.1 on demand',
};

export const processesSchemaFields: Record<string, Schema> = {
  processes: obj(
    'Business processes (seed 004 Table 1) as orchestrations of SRVs. Left out: the default set (none when `traffic` is given); given: only the kinds named run.',
    Object.fromEntries(
      PROCESS_KINDS.map((k) => [
        k,
        obj(`${KIND_HELP[k]}.`, {
          perHubPerDay: { type: 'number', minimum: 0, description: 'Instances started per hub per day (topUp: per premises in prepayment mode).' },
          shape: { type: 'string', description: 'Daily shape of the starts.' },
          attempts: { type: 'integer', minimum: 1, description: "The User's sends of a step before it abandons the process." },
          resendDelay: duration("The User's wait after a failed step before resending it."),
          futureDatedShare: share('Share of instances whose SRVs are future-dated (default 0; tariffUpdate 0.5).'),
        }),
      ]),
    ),
  ),
  installAndLeaveShare: share('Share of installs without SMWAN: 8.14.2 alone (default 0.04).'),
  readChaseShare: share('Share of failed scheduled reads (5.1) chased with 4.6.1 (default 0.5).'),
  nonWaitingShare: share("Share of supplier Users whose orchestrations send each SRV without waiting for the previous one's success (default 0.2)."),
  nonWaitingUsers: { type: 'array', items: { type: 'string', description: 'A Service User id.' }, description: 'The Users that do not wait (given: exactly these, nonWaitingShare is not used).' },
  turnaround: distribution("A waiting User's time from a step's success to sending the next."),
  notWaitingGap: duration("A non-waiting User's gap between sends (default 2s)."),
};

/** The processes and their options; `explicitTraffic`: the scenario gave `traffic`, so processes run only when named. */
export function readProcesses(r: ParamReader, path: Path, o: Obj, explicitTraffic: boolean, shapes: readonly string[], suppliers: readonly string[]): ProcessesConfig {
  const d = DEFAULT_PROCESS_OPTIONS;
  const defaults = defaultProcesses();
  let processes: ProcessConfig[] = explicitTraffic ? [] : defaults;
  if (o.processes !== undefined) {
    const given = asObj(o.processes);
    processes = defaults
      .filter((p) => given[p.kind] !== undefined)
      .map((p) => {
        const g = asObj(given[p.kind]);
        const at = [...path, 'processes', p.kind];
        if (typeof g.shape === 'string' && !shapes.includes(g.shape)) r.report([...at, 'shape'], `unknown daily shape ${JSON.stringify(g.shape)} (expected one of ${shapes.join(', ')})`);
        return {
          kind: p.kind,
          perHubPerDay: r.number(g.perHubPerDay, p.perHubPerDay),
          shape: typeof g.shape === 'string' && shapes.includes(g.shape) ? g.shape : p.shape,
          attempts: Number.isInteger(g.attempts) && (g.attempts as number) >= 1 ? (g.attempts as number) : p.attempts,
          resendDelay: r.duration([...at, 'resendDelay'], g.resendDelay, p.resendDelay),
          futureDatedShare: r.number(g.futureDatedShare, p.futureDatedShare),
        };
      });
  }
  const nonWaitingUsers = Array.isArray(o.nonWaitingUsers) ? o.nonWaitingUsers.filter((x): x is string => typeof x === 'string') : null;
  nonWaitingUsers?.forEach((id, i) => {
    if (!suppliers.includes(id)) r.report([...path, 'nonWaitingUsers', i], `${JSON.stringify(id)} is not a supplier User of this scenario (suppliers: ${suppliers.join(', ')})`);
  });
  return {
    processes,
    installAndLeaveShare: r.number(o.installAndLeaveShare, d.installAndLeaveShare),
    readChaseShare: r.number(o.readChaseShare, d.readChaseShare),
    nonWaitingShare: r.number(o.nonWaitingShare, d.nonWaitingShare),
    nonWaitingUsers,
    turnaround: r.distribution([...path, 'turnaround'], o.turnaround, d.turnaround),
    notWaitingGap: r.duration([...path, 'notWaitingGap'], o.notWaitingGap, d.notWaitingGap),
  };
}

/** SRVs the default processes send, so the default streams leave them out. */
export const ORCHESTRATED_SRVS = ['8.11', '6.21', '8.1.1', '8.7.2', '6.20.1', '1.1.1', '6.8', '8.14.1', '8.14.2', '6.23', '3.2', '3.5', '1.6', '2.1', '2.2', '5.1', '4.6.1'];
