/**
 * The scenario's `requests` section: Service Request traffic, per SRV, with
 * a daily shape, and the SECMP0053 switch. Its type, defaults (with their
 * sources), schema fragment and reading live here together, as a
 * component's do beside its model.
 *
 * Left out, a scenario has no request traffic (alert-only scenarios keep
 * their feeds). `requests: {}` takes the default mix below.
 *
 * Volumes: about 2.2 billion messages a month for about 32 million meters
 * (DOMAIN.md "Scale", August 2024): 2.2e9 / 30 / 32e6 = 2.3 a meter a day.
 * Assumption: each counted message is one service request, and a premises
 * (one hub) has 1.8 meters on average (gas at 0.8 of premises), so about 4
 * requests a hub a day, most of them meter reads. Shapes: DOMAIN.md "daily
 * read bursts far above" the 850-a-second average; seed 004 section 3
 * (availability by time of day: installations 08:00-20:00 on working days).
 * Most SRVs are sent by business processes (src/scenario/processes.ts);
 * the default streams are the SRVs no process sends.
 */
import { SRV_CATALOGUE, SRV_NUMBERS, srv } from '../dcc/srvs.js';
import { REGIONS, type Region } from '../dcc/regions.js';
import { obj, share, type Schema } from '../params/schema.js';
import { asObj, isNum, type Obj, type ParamReader, type Path } from '../params/read.js';
import { ORCHESTRATED_SRVS, processesSchemaFields, readProcesses, type ProcessesConfig } from './processes.js';

/** Hourly weights (00:00-01:00 first) of a day's traffic; a stream's volume is spread by them. */
export const DAILY_SHAPES: Readonly<Record<string, readonly number[]>> = {
  // Assumption: on-demand traffic follows the working day, busiest 08:00-20:00 (seed 004 section 3's bands).
  workingDay: [1, 1, 1, 1, 1, 1, 2, 4, 8, 9, 9, 9, 8, 8, 9, 9, 8, 7, 6, 5, 3, 2, 1, 1],
  // Assumption: scheduled reads run overnight, most in the hour after 01:00 (DOMAIN.md "daily read bursts").
  overnightReads: [2, 30, 20, 12, 6, 3, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1],
  // Seed 004 section 3: installations 08:00-20:00 on working days; assumption: most in the working hours.
  installs: [0, 0, 0, 0, 0, 0, 0, 1, 6, 9, 9, 9, 7, 8, 9, 9, 8, 6, 3, 1, 0, 0, 0, 0],
  // Assumption: customers top up all day, most in the morning and the early evening.
  topUps: [1, 0.5, 0.3, 0.3, 0.3, 0.5, 2, 4, 5, 5, 5, 5, 6, 5, 5, 5, 6, 7, 8, 7, 5, 4, 3, 2],
  // Flat: the same rate all day.
  flat: Array.from({ length: 24 }, () => 1),
};
export const SHAPE_NAMES = Object.keys(DAILY_SHAPES);

export type RequestSender = 'supplier' | 'networkOperator';

export interface RequestStreamConfig {
  srv: string;
  /** Requests per hub per day. */
  perHubPerDay: number;
  /** Name of a daily shape. */
  shape: string;
  /** Share of the requests future-dated (executed later than sent). */
  futureDatedShare: number;
  /** Days of half-hourly data a profile read (GBT) asks for. */
  days: number;
  /** Who sends them: the premises' supplier or its network operator. */
  from: RequestSender;
  regions: Region[];
}

export interface RequestsConfig extends ProcessesConfig {
  /** Apply SECMP0053's Target Response Times (seed 002): 6.14.1, 6.14.2, 7.9 to 30 s, 4.8.1 to 5600 s. */
  secmp0053: boolean;
  traffic: RequestStreamConfig[];
}

/** Network operators send the Distribution Networks SRVs (seed 004 Table 1); suppliers the rest. */
function senderOf(number: string): RequestSender {
  return srv(number).processes.includes('Distribution Networks Post I&C') ? 'networkOperator' : 'supplier';
}

function stream(number: string, perHubPerDay: number, more: Partial<RequestStreamConfig> = {}): RequestStreamConfig {
  const def = srv(number);
  return {
    srv: number,
    perHubPerDay,
    shape: def.timings[0] === 'scheduled' ? 'overnightReads' : 'workingDay',
    futureDatedShare: 0,
    days: 1,
    from: senderOf(number),
    regions: REGIONS.filter((r) => r !== 'smets1' || def.smets1),
    ...more,
  };
}

/** The default streams: the default mix's SRVs that no default process sends (src/scenario/processes.ts). */
export function defaultRequestTraffic(): RequestStreamConfig[] {
  return defaultMix().filter((s) => !ORCHESTRATED_SRVS.includes(s.srv));
}

/**
 * The default mix as independent streams, about 4 requests a hub a day (see
 * the top of this file); each number an assumption. The processes' volumes
 * keep to it (src/scenario/processes.ts).
 */
export function defaultMix(): RequestStreamConfig[] {
  return [
    // Scheduled daily reads of electricity and gas: the bulk, in an overnight burst.
    stream('5.1', 3),
    stream('4.6.1', 0.3),
    // Profile reads: a month of half-hourly data (15 GBT blocks).
    stream('4.8.1', 0.01, { days: 30 }),
    stream('4.8.2', 0.002, { days: 7 }),
    stream('4.8.3', 0.002, { days: 7 }),
    stream('4.10', 0.005, { days: 1 }),
    // Per premises in prepayment mode (about one in seven, DOMAIN.md): top-ups a few times a week.
    stream('2.2', 0.5),
    stream('1.1.1', 0.02, { futureDatedShare: 0.5 }),
    stream('6.23', 0.002),
    stream('1.6', 0.001),
    stream('2.1', 0.001),
    stream('3.2', 0.0005),
    stream('3.5', 0.0005),
    stream('6.8', 0.002),
    stream('6.14.1', 0.001),
    stream('6.14.2', 0.001),
    stream('7.9', 0.0005),
    // Install and commission: some thousands of installs a day across GB.
    stream('8.11', 0.0005),
    stream('6.21', 0.0005),
    stream('8.1.1', 0.0005),
    stream('8.7.2', 0.0004),
    stream('6.20.1', 0.0005),
    stream('8.14.1', 0.0005),
    stream('8.14.2', 0.00002),
    stream('6.15.1', 0.0002),
    stream('6.5', 0.0002),
    stream('6.22', 0.0002),
    stream('11.3', 0.0002),
  ];
}

const generatable = SRV_CATALOGUE.filter((d) => d.flow === undefined).map((d) => d.srv);

export const requestsSchema: Schema = obj('Service Request traffic. Left out: none. `{}`: the default business processes and streams (about 4 requests a hub a day).', {
  secmp0053: { type: 'boolean', description: "Apply SECMP0053's Target Response Times (6.14.1, 6.14.2, 7.9 to 30 s; 4.8.1 to 5600 s). Default false." },
  traffic: {
    type: 'array',
    description: 'Independent request streams; given, the list replaces the default streams whole (and the default processes run only if `processes` names them).',
    items: obj(
      'One SRV at a daily volume per hub.',
      {
        srv: { type: 'string', description: `The SRV number (${generatable.join(', ')}).` },
        perHubPerDay: { type: 'number', minimum: 0, description: 'Requests per hub per day (2.2: per hub in prepayment mode).' },
        shape: { type: 'string', enum: SHAPE_NAMES, description: `Daily shape (${SHAPE_NAMES.join(', ')}; default by SRV: scheduled reads overnightReads, the rest workingDay).` },
        futureDatedShare: share('Share of requests future-dated, executed up to a day after they are sent (default 0).'),
        days: { type: 'integer', minimum: 1, description: 'Days of half-hourly data a profile read (4.8.x, 4.10) asks for (default 1).' },
        from: { type: 'string', enum: ['supplier', 'networkOperator'], description: "Who sends them (default by SRV: Distribution Networks' SRVs the network operator)." },
        regions: {
          type: 'array',
          minItems: 1,
          description: 'Regions (default all the SRV applies to).',
          items: { type: 'string', enum: [...REGIONS], description: 'A CSP region or smets1.' },
        },
      },
      ['srv', 'perHubPerDay'],
    ),
  },
  ...processesSchemaFields,
});

/** `suppliers`: the ids of the scenario's supplier Users (nonWaitingUsers must name them). */
export function readRequests(r: ParamReader, path: Path, raw: unknown, suppliers: readonly string[]): RequestsConfig | null {
  if (raw === undefined) return null;
  const o = asObj(raw);
  const secmp0053 = o.secmp0053 === true;
  const processes = readProcesses(r, path, o, Array.isArray(o.traffic), SHAPE_NAMES, suppliers);
  if (!Array.isArray(o.traffic)) return { secmp0053, traffic: defaultRequestTraffic(), ...processes };
  const traffic: RequestStreamConfig[] = [];
  o.traffic.forEach((item, i) => {
    const t: Obj = asObj(item);
    const p = [...path, 'traffic', i];
    if (typeof t.srv !== 'string') return; // the schema reported it
    if (!SRV_NUMBERS.includes(t.srv)) {
      r.report([...p, 'srv'], `unknown SRV ${JSON.stringify(t.srv)} (expected one of ${generatable.join(', ')})`);
      return;
    }
    const def = srv(t.srv);
    if (def.flow !== undefined) {
      r.report([...p, 'srv'], `SRV ${t.srv} (${def.name}) belongs to the ${def.flow} flow, which this version does not simulate`);
      return;
    }
    const base = stream(t.srv, r.number(t.perHubPerDay, 0));
    const regions = Array.isArray(t.regions) ? (t.regions.filter((x) => (REGIONS as readonly unknown[]).includes(x)) as Region[]) : base.regions;
    if (!def.smets1 && regions.includes('smets1')) r.report([...p, 'regions'], `SRV ${t.srv} does not apply to SMETS1 devices (seed 004 Table 1: n/a)`);
    const futureDatedShare = r.number(t.futureDatedShare, 0);
    if (futureDatedShare > 0 && !def.timings.includes('futureDated')) {
      r.report([...p, 'futureDatedShare'], `SRV ${t.srv} cannot be future-dated (it is ${def.timings.join(' or ')})`);
    }
    if (t.days !== undefined && !def.gbt) r.report([...p, 'days'], `SRV ${t.srv} is not a profile read (only GBT reads take days)`);
    traffic.push({
      ...base,
      shape: typeof t.shape === 'string' && t.shape in DAILY_SHAPES ? t.shape : base.shape,
      futureDatedShare,
      days: Number.isInteger(t.days) && isNum(t.days) && t.days >= 1 ? t.days : base.days,
      from: t.from === 'supplier' || t.from === 'networkOperator' ? t.from : base.from,
      regions: regions.filter((x) => x !== 'smets1' || def.smets1),
    });
  });
  return { secmp0053, traffic, ...processes };
}
