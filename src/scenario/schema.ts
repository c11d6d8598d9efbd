/**
 * The JSON Schema of the scenario FILE format: what a user writes, before
 * defaults. Editors use it for completion and help (scenarios/scenario.schema.json
 * is this object written out, and every bundled YAML points at it); the
 * loader validates against it, then checks what a schema cannot say
 * (shares summing to 1, events inside the run, names that must exist).
 */
import { ALERT_CODES } from '../dcc/alerts.js';
import { AREA_IDS } from '../dcc/areas.js';
import { CSP_NAMES, perRegion, REGION_LABELS, REGIONS, SMETS1 } from '../dcc/regions.js';
import { commsHubSchema, cspSchema, dspSchema, gatewaySchemaProperties, s1spSchema, userIdSchema } from '../network/index.js';
import { MAX_HUBS } from '../estate/estate.js';
import { duration, obj, outageMode, paramDefinitions, ref, share, type Schema } from '../params/schema.js';
import { requestsSchema } from './requests.js';
import { outagesSchema } from '../flows/outages/params.js';
import { MAKE_NAMES } from '../dcc/makes.js';

export const REGION_NAMES: string[] = [...REGIONS];

/**
 * The longest run: a year, leap day included. The limit is what makes the
 * epoch's range below safe; without one, "1000000000h" would run for ever.
 */
export const MAX_DURATION_MS = 366 * 86_400_000;
export const MAX_DURATION_WORDS = '366d';

/**
 * Feed times have four-digit years (YYYYMMDDHHMMSS.SSS, seed 001 section
 * 4.2), so the run must start in one: years from 1000 (the pattern), and end,
 * with its drain and last throughput window, by 9999-12-31 (resolve.ts
 * checks that end, which depends on the duration).
 */
export const EPOCH_PATTERN = '^[1-9][0-9]{3}-';
export const EPOCH_WORDS = 'a four-digit year from 1000';
export const COMPONENT_NAMES: string[] = [...CSP_NAMES, 's1sp', 'dsp'];
export const EVENT_TYPES = ['powerOutage', 'componentOutage', 'serviceUserOutage', 'alertSurge', 'firmwareCampaign', 'subsystemOutage', 'plannedMaintenance'];
const DEVICE_TYPES = ['hub', 'esme', 'gsme', 'ppmid'];

const regionList = (description: string): Schema => ({
  type: 'array',
  description,
  minItems: 1,
  items: { type: 'string', enum: REGION_NAMES, description: 'A CSP region (north, central, south) or smets1.' },
});

const at = duration('Start of the event after the scenario epoch, e.g. "2h" or "PT30M". Must fall before the end of the run.');
const label = { type: 'string', description: 'Free-text label carried into the ground truth.' };

const versionMix = (device: string): Schema => ({
  type: 'object',
  description: `Firmware versions of ${device} devices: version label -> share (shares sum to 1).`,
  minProperties: 1,
  // DUIS FirmwareVersion is 1 to 8 characters.
  propertyNames: { type: 'string', minLength: 1, maxLength: 8 },
  additionalProperties: share('Share of devices on this version.'),
});

/** An event on one sub-system of the DCC Services (src/flows/outages/). */
function subsystemEvent(type: string, description: string, durationDescription: string): Schema {
  return obj(
    description,
    {
      type: { const: type, description: 'Event type.' },
      at,
      label,
      subsystem: { type: 'string', minLength: 1, description: 'The sub-system (a name in outages.subsystems).' },
      duration: duration(durationDescription),
    },
    ['type', 'at', 'subsystem', 'duration'],
  );
}

const eventBranches: Schema[] = [
  obj(
    'A power outage: hubs in the given network-operator areas (or regions) lose power, send last gasps, and send restoration alerts when power returns.',
    {
      type: { const: 'powerOutage', description: 'Event type.' },
      at,
      label,
      areas: {
        type: 'array',
        description: 'Network-operator areas hit (MPAN distributor ids 10..23). Give areas or regions, not both.',
        minItems: 1,
        items: { type: 'integer', enum: [...AREA_IDS], description: 'MPAN distributor id.' },
      },
      regions: regionList('Regions hit. Give areas or regions, not both.'),
      share: share('Share of the hubs in those areas or regions that lose power (default 1).'),
      duration: duration('How long power is off.'),
      restorationSpread: duration('Spread of restoration times after the end (default 1m; 0 = all at once).'),
    },
    ['type', 'at', 'duration'],
  ),
  obj(
    'A component out of service.',
    {
      type: { const: 'componentOutage', description: 'Event type.' },
      at,
      label,
      component: { type: 'string', enum: COMPONENT_NAMES, description: 'The component.' },
      duration: duration('How long it is out.'),
      mode: outageMode("What happens to traffic meanwhile (default: the component's outageMode)."),
    },
    ['type', 'at', 'component', 'duration'],
  ),
  obj(
    "A Service User's gateway down: no receipt, no handshake.",
    {
      type: { const: 'serviceUserOutage', description: 'Event type.' },
      at,
      label,
      user: { type: 'string', minLength: 1, description: 'User ID of a Service User of the scenario.' },
      duration: duration('How long it is down.'),
    },
    ['type', 'at', 'user', 'duration'],
  ),
  obj(
    'Extra alerts of one code for a while.',
    {
      type: { const: 'alertSurge', description: 'Event type.' },
      at,
      label,
      code: ref('alertCode', 'The alert code.'),
      regions: regionList('Regions it occurs in (default all).'),
      perHubPerDay: { type: 'number', exclusiveMinimum: 0, description: 'Extra alerts per hub per day while it lasts (per prepayment meter for 810D and 8F0F).' },
      duration: duration('How long it lasts.'),
    },
    ['type', 'at', 'code', 'perHubPerDay', 'duration'],
  ),
  obj(
    'A firmware campaign (SRV 11.1): devices move from one version to another.',
    {
      type: { const: 'firmwareCampaign', description: 'Event type.' },
      at,
      label,
      deviceType: { type: 'string', enum: DEVICE_TYPES, description: 'Device type updated.' },
      fromVersion: { type: 'string', minLength: 1, maxLength: 8, description: 'Only devices on this version (default: any other than toVersion).' },
      toVersion: { type: 'string', minLength: 1, maxLength: 8, description: 'Version installed (at most 8 characters: DUIS FirmwareVersion).' },
      share: share('Share of the eligible devices targeted (default 1; not with count).'),
      count: { type: 'integer', minimum: 1, description: 'Number of eligible devices targeted, in estate order (not with share).' },
      regions: regionList('Regions whose devices are targeted (default all).'),
      make: { type: 'string', enum: MAKE_NAMES, description: 'Only devices of this make (src/dcc/makes.ts; default any).' },
      perHour: { type: 'number', exclusiveMinimum: 0, description: 'SRV 11.1 requests the User sends per hour, from `at` (default 20000; hub campaigns: images the CSPs start per hour).' },
      imageSize: { type: 'integer', minimum: 1, description: 'Image size in bytes (default per device type, src/flows/firmware/params.ts).' },
      activateAt: duration('Future-dated activation: SRV 11.3 executes at this time after the epoch (default: on-demand, once the device has the image).'),
    },
    ['type', 'at', 'deviceType', 'toVersion'],
  ),
  subsystemEvent('subsystemOutage', 'An unplanned outage of a sub-system of the DCC Services (outages.subsystems): each service it supports is down meanwhile.', 'How long it is out.'),
  subsystemEvent(
    'plannedMaintenance',
    'Planned Maintenance of a sub-system: excluded from Uptime (seed 004, Requirement 3; at most 6 hours a month, SEC H8).',
    'How long the window lasts.',
  ),
];

export const scenarioJsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://dcc-twin.invalid/scenario.schema.json',
  title: 'dcc-twin scenario',
  description:
    'A scenario for the DCC message-path twin. Every key is optional; left out, it takes the default documented with it (src/scenario/defaults.ts, or beside the component in src/network/). Times and durations are a number of milliseconds or a string such as "350ms", "2.5s", "15m", "1h30m", "1d" or "PT15M".',
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', description: 'Short name of the scenario (default: the file name).' },
    description: { type: 'string', description: 'What the scenario shows.' },
    seed: { type: 'integer', minimum: 0, description: 'Seed of every random stream (default 1); the same seed gives byte-identical feeds.' },
    epoch: {
      type: 'string',
      pattern: EPOCH_PATTERN,
      description: `Start of the run, ISO-8601 UTC (default "2026-01-15T00:00:00Z"), with ${EPOCH_WORDS}; the run, its hour of drain and its last 15-minute window must end by 9999-12-31.`,
    },
    duration: duration(`Simulated time (default "1d"); must be > 0 and at most ${MAX_DURATION_WORDS}.`),
    estate: obj('The installed base: hubs and their devices.', {
      hubs: { type: 'integer', exclusiveMinimum: 0, maximum: MAX_HUBS, description: `Number of Comms Hubs, one per premises (default 10000, at most ${MAX_HUBS}).` },
      regions: obj(
        'Share of hubs per region; the four shares sum to 1 (default north 0.22, central 0.27, south 0.21, smets1 0.3).',
        perRegion((_, i) => share(i === SMETS1 ? 'Share of SMETS1 hubs (served by the S1SPs).' : `Share of hubs served by CSP ${REGION_LABELS[i]}.`)),
      ),
      s1sps: { type: 'integer', minimum: 1, description: 'Number of SMETS1 Service Providers sharing the SMETS1 hubs (default 3).' },
      gasShare: share('Share of premises with a gas meter (default 0.8).'),
      ppmidShare: share('Share of premises with a PPMID (default 0.15).'),
      ihdShare: share('Share of premises with an IHD (default 0.95).'),
      commissionedShare: share('Share of hubs commissioned; the rest are installed and left without SMWAN and their alerts never leave the hub (default 0.97).'),
      prepaymentShare: share('Share of premises whose meters are in prepayment mode; only they raise 810D and 8F0F (default 0.14, about one meter in seven).'),
      firmware: obj('Firmware versions in the estate per device type (each replaces its default whole).', {
        hub: versionMix('Comms Hub'),
        esme: versionMix('ESME'),
        gsme: versionMix('GSME'),
        ppmid: versionMix('PPMID'),
      }),
    }),
    components: obj('Timing and capacity of each component (each field replaces its default whole).', {
      commsHub: commsHubSchema,
      ...Object.fromEntries(CSP_NAMES.map((name) => [name, cspSchema(name)])),
      s1sp: s1spSchema,
      dsp: dspSchema,
    }),
    serviceUsers: {
      type: 'array',
      description:
        'The Service Users. Left out: one network operator per DNO group (DNO-UKPN, DNO-NGED, DNO-SPEN, DNO-NPG, DNO-ENWL, DNO-SSEN) and five suppliers SUPPLIER-A..E. Given, it replaces that list whole.',
      items: obj(
        'A Service User and its gateway.',
        {
          id: userIdSchema,
          role: { type: 'string', enum: ['supplier', 'networkOperator'], description: 'supplier or networkOperator.' },
          areas: {
            type: 'array',
            description: 'Network operators: areas served (MPAN distributor ids 10..23); every area needs exactly one.',
            items: { type: 'integer', enum: [...AREA_IDS], description: 'MPAN distributor id.' },
          },
          marketShare: share("Suppliers: share of premises; suppliers' shares sum to 1."),
          ...gatewaySchemaProperties,
        },
        ['id', 'role'],
      ),
    },
    background: {
      type: 'array',
      description: 'Everyday alert traffic. Left out: 8F3F 0.05 per hub per day, 810D 0.2 and 8F0F 0.15 per prepayment meter per day. Given, it replaces that list whole.',
      items: obj(
        'One alert code at a steady rate.',
        {
          code: ref('alertCode', 'The alert code.'),
          perHubPerDay: { type: 'number', minimum: 0, description: 'Alerts per hub per day (per prepayment meter for 810D and 8F0F).' },
          regions: regionList('Regions it occurs in (default all).'),
        },
        ['code', 'perHubPerDay'],
      ),
    },
    requests: requestsSchema,
    outages: outagesSchema,
    events: {
      type: 'array',
      description: 'Timed events: powerOutage, componentOutage, serviceUserOutage, alertSurge, firmwareCampaign, subsystemOutage, plannedMaintenance.',
      items: {
        type: 'object',
        description: 'A timed event, chosen by `type`.',
        required: ['type'],
        properties: { type: { enum: EVENT_TYPES } },
        discriminator: { propertyName: 'type' },
        oneOf: eventBranches,
      },
    },
    output: obj('What the run writes besides the feeds.', {
      duisBodies: { type: 'boolean', description: 'Write the DUIS XML each Service User receives (default true).' },
      signPayloads: { type: 'boolean', description: 'Sign GBCS payloads with the test key (default false).' },
      groundTruth: { type: 'boolean', description: 'Write ground-truth.jsonl (default true).' },
    }),
  },
  definitions: {
    duration: paramDefinitions.duration,
    share: paramDefinitions.share,
    outageMode: paramDefinitions.outageMode,
    alertCode: { type: 'string', enum: [...ALERT_CODES], description: `An alert code (${ALERT_CODES.join(', ')}).` },
    distribution: paramDefinitions.distribution,
  },
} as const satisfies Schema;
