/**
 * How a component declares its parameters in the scenario file's JSON
 * Schema: the shared pieces (durations, shares, distributions, outage modes)
 * as `#/definitions/...` references, and the definitions they point at. The
 * scenario schema (src/scenario/schema.ts) assembles every component's
 * fragment and these definitions into one document.
 */
import { DISTRIBUTION_NAMES } from '../engine/distributions.js';

export type Schema = Record<string, unknown>;

export const ref = (name: string, description: string): Schema => ({ $ref: `#/definitions/${name}`, description });

export const obj = (description: string, properties: Record<string, Schema>, required: string[] = []): Schema => ({
  type: 'object',
  description,
  ...(required.length ? { required } : {}),
  properties,
  additionalProperties: false,
});

export const share = (description: string): Schema => ref('share', description);
export const duration = (description: string): Schema => ref('duration', description);
export const distribution = (description: string): Schema => ref('distribution', description);
export const outageMode = (description: string): Schema => ref('outageMode', description);
export const perSecond = (description: string): Schema => ({ type: 'number', minimum: 0, description });

const distributionBranches: Schema[] = [
  obj(
    'Always the same value.',
    { dist: { const: 'constant', description: 'Distribution name.' }, value: duration('The value.') },
    ['dist', 'value'],
  ),
  obj(
    'Uniform between min and max.',
    { dist: { const: 'uniform', description: 'Distribution name.' }, min: duration('Lowest value.'), max: duration('Highest value.') },
    ['dist', 'min', 'max'],
  ),
  obj(
    'Exponential with the given mean, plus an optional constant shift.',
    {
      dist: { const: 'exponential', description: 'Distribution name.' },
      mean: duration('Mean (before the shift).'),
      shift: duration('Constant added to every draw.'),
    },
    ['dist', 'mean'],
  ),
  obj(
    'Lognormal: median = exp(mu), sigma the standard deviation in log space; optional shift and cap.',
    {
      dist: { const: 'lognormal', description: 'Distribution name.' },
      median: duration('Median (before the shift); must be > 0.'),
      sigma: { type: 'number', minimum: 0, description: 'Standard deviation of the logarithm (a plain number, no unit).' },
      shift: duration('Constant added to every draw.'),
      max: duration('Cap on every draw.'),
    },
    ['dist', 'median', 'sigma'],
  ),
  obj(
    'Normal, truncated to [min, max] (and never below 0).',
    {
      dist: { const: 'normal', description: 'Distribution name.' },
      mean: duration('Mean.'),
      sd: duration('Standard deviation.'),
      min: duration('Lower bound.'),
      max: duration('Upper bound.'),
    },
    ['dist', 'mean', 'sd'],
  ),
  obj(
    'Piecewise-linear inverse CDF through [value, cumulative probability] points.',
    {
      dist: { const: 'empirical', description: 'Distribution name.' },
      points: {
        type: 'array',
        description: 'Points [value, cumulativeProbability]: the first with probability 0, the last with 1, neither part decreasing.',
        minItems: 2,
        items: {
          type: 'array',
          description: 'One point: [value, cumulativeProbability].',
          minItems: 2,
          maxItems: 2,
          items: [duration('Value at this point.'), { type: 'number', minimum: 0, maximum: 1, description: 'Cumulative probability at this point.' }],
          additionalItems: false,
        },
      },
    },
    ['dist', 'points'],
  ),
];

/** What the references above point at, by name (the scenario schema's `definitions` add the domain's own). */
export const paramDefinitions = {
  duration: {
    description: 'A number of milliseconds, or a string such as "350ms", "2.5s", "15m", "1h30m", "1d" or "PT15M".',
    type: ['number', 'string'],
  },
  share: { type: 'number', minimum: 0, maximum: 1, description: 'A share between 0 and 1.' },
  outageMode: {
    type: 'string',
    enum: ['hold', 'drop'],
    description: 'hold: queue traffic and pass it on afterwards; drop: lose it.',
  },
  distribution: {
    type: 'object',
    description: `A distribution, chosen by \`dist\` (${DISTRIBUTION_NAMES.join(', ')}). Time-valued parameters take durations; sigma and probabilities are plain numbers.`,
    required: ['dist'],
    properties: { dist: { enum: [...DISTRIBUTION_NAMES] } },
    discriminator: { propertyName: 'dist' },
    oneOf: distributionBranches,
  },
} as const;
