/**
 * The sweep file: a base scenario, the scenario keys to vary (a grid of
 * every combination, or a list of points), the replications and the seed
 * they are derived from. Loaded like a scenario (YAML or JSON, JSON Schema,
 * every problem as `file:line:column: key: message`); each key path is
 * checked against the scenario schema, and every point's scenario is
 * validated before anything runs, its problems named at the sweep file's
 * line of the value that caused them. The result is a plan: every run with
 * its scenario text and derived seed, the same on every machine.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { Ajv } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import { ScenarioError, dedupe, formatPath, locate, parseScenario, readScenarioFile, type ScenarioProblem } from '../scenario/load.js';
import { scenarioJsonSchema } from '../scenario/schema.js';
import { parseDuration } from '../params/duration.js';
import { MAX_ALIAS_COUNT, repeatedKeys } from '../scenario/text.js';
import type { Path } from '../scenario/resolve.js';

/**
 * A1's target as a share of alerts: no seed sets one (seed 004, 2.4.7 makes
 * A1 a Measure), so the default is a named assumption, 99 % within 60 s.
 */
export const DEFAULT_A1_TARGET_PCT = 99;

const KEY_PATH = '^[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z0-9_-]+|\\[[0-9]+\\])*$';

const valueList = { type: 'array', minItems: 1, description: 'The values this key takes, in order.' };

export const sweepJsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  title: 'dcc-twin sweep',
  description: 'A capacity sweep: variants of one base scenario, each run several times with seeds derived from one sweep seed.',
  type: 'object',
  additionalProperties: false,
  required: ['base'],
  properties: {
    name: { type: 'string', minLength: 1, description: 'Name of the sweep (default: the file name).' },
    base: { type: 'string', minLength: 1, description: 'The base scenario, relative to this file.' },
    seed: { type: 'integer', minimum: 0, description: 'Seed every run seed is derived from (default 1).' },
    replications: { type: 'integer', minimum: 1, maximum: 1000, description: 'Runs per point, each with its own derived seed (default 2).' },
    grid: {
      type: 'object',
      description: 'Scenario key path -> list of values; every combination is a point.',
      minProperties: 1,
      propertyNames: { pattern: KEY_PATH },
      additionalProperties: valueList,
    },
    points: {
      type: 'array',
      description: 'The points, each a mapping of scenario key path -> value (every point gives the same keys).',
      minItems: 1,
      items: { type: 'object', minProperties: 1, propertyNames: { pattern: KEY_PATH } },
    },
    sla: { description: 'A1 target time (default 60s).', type: ['string', 'number'] },
    capacity: {
      type: 'object',
      additionalProperties: false,
      description: 'How the capacity report reads the curves.',
      properties: {
        storm: { type: 'string', pattern: KEY_PATH, description: 'The varied key that measures the storm (default: the first varied key).' },
        a1Target: { type: 'number', exclusiveMinimum: 0, maximum: 100, description: `% of alerts within A1's target time a configuration must keep (default ${DEFAULT_A1_TARGET_PCT}).` },
      },
    },
  },
  oneOf: [{ required: ['grid'] }, { required: ['points'] }],
} as const;

export interface SweepRun {
  /** `p003-r2`: point 3, replication 2; names its directory. */
  id: string;
  point: number;
  replication: number;
  seed: number;
}

export interface SweepPoint {
  index: number;
  id: string;
  /** One value per parameter, in the order of `parameters`. */
  values: unknown[];
  /** The point's scenario (base with the values set) as JSON text, without a seed. */
  scenarioText: string;
}

export interface SweepPlan {
  name: string;
  file: string;
  /** SHA-256 of the plan's content: the same sweep file and base give the same id anywhere. */
  sweepId: string;
  base: string;
  seed: number;
  replications: number;
  parameters: string[];
  points: SweepPoint[];
  runs: SweepRun[];
  slaMs: number;
  storm: string;
  a1TargetPct: number;
}

export class SweepError extends ScenarioError {}

/** The seed of replication `r` (0-based): the same for every point, so points differ by their parameters alone. */
export function replicationSeed(sweepSeed: number, r: number): number {
  return createHash('sha256').update(`dcc-twin sweep seed ${sweepSeed} replication ${r}`).digest().readUInt32BE(0) >>> 1;
}

let validator: ReturnType<Ajv['compile']> | undefined;

export function loadSweep(file: string): SweepPlan {
  const text = readScenarioFile(file).toString('utf8');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  const problems: ScenarioProblem[] = [];
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const report = (segments: Path, message: string, where: 'key' | 'value' = 'value', pathText = formatPath(segments)) =>
    problems.push({ file, ...at(locate(doc, segments, where)), path: pathText, message });
  for (const err of doc.errors) problems.push({ file, ...at(err.pos[0]), path: '', message: `syntax error: ${err.message.split('\n')[0]}` });
  for (const offset of repeatedKeys(doc)) problems.push({ file, ...at(offset), path: '', message: 'duplicate key' });
  if (problems.length) throw new SweepError(problems);
  const data = (doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {}) as Record<string, unknown>;

  validator ??= new Ajv({ allErrors: true, allowUnionTypes: true }).compile(sweepJsonSchema);
  if (!validator(data)) {
    for (const e of validator.errors ?? []) {
      const segs: Path = e.instancePath.split('/').slice(1).map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~')));
      if (e.keyword === 'oneOf') report(segs, 'give either grid (every combination) or points (a list), not both and not neither');
      else if (e.keyword === 'additionalProperties') report([...segs, String(e.params.additionalProperty)], `unknown key "${e.params.additionalProperty}"`, 'key');
      else if (e.keyword === 'pattern' && e.propertyName !== undefined) report([...segs, e.propertyName], 'must be a scenario key path such as events[0].share or components.dsp.throttlePerUserPerSecond', 'key');
      else if (e.keyword === 'propertyNames' || e.schemaPath.startsWith('#/oneOf/')) continue;
      else report(segs, e.message ?? e.keyword);
    }
    throw new SweepError(dedupe(problems));
  }

  const baseRel = data.base as string;
  const baseFile = path.isAbsolute(baseRel) ? baseRel : path.join(path.dirname(file), baseRel);
  let baseText: string;
  try {
    baseText = readScenarioFile(baseFile).toString('utf8');
    parseScenario(baseText, baseFile);
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    // The base's own problems keep their own places; the sweep file's line says which base.
    report(['base'], `the base scenario has problems:\n${e.format()}`);
    throw new SweepError(problems);
  }
  const baseData = (parseDocument(baseText).toJS() ?? {}) as Record<string, unknown>;

  // The parameters and, per point, their values with where each value is written.
  const parameters: string[] = [];
  const rows: Array<{ values: unknown[]; where: Path[] }> = [];
  if (data.grid) {
    const grid = data.grid as Record<string, unknown[]>;
    parameters.push(...Object.keys(grid));
    let combos: Array<{ values: unknown[]; where: Path[] }> = [{ values: [], where: [] }];
    for (const p of parameters) {
      combos = combos.flatMap((c) => grid[p].map((v, i) => ({ values: [...c.values, v], where: [...c.where, ['grid', p, i]] })));
    }
    rows.push(...combos);
  } else {
    const points = data.points as Array<Record<string, unknown>>;
    parameters.push(...Object.keys(points[0]));
    points.forEach((p, i) => {
      const keys = Object.keys(p);
      const missing = parameters.filter((k) => !(k in p));
      const extra = keys.filter((k) => !parameters.includes(k));
      if (missing.length || extra.length) {
        report(['points', i], `every point gives the same keys as points[0] (${missing.length ? `missing ${missing.join(', ')}` : `extra ${extra.join(', ')}`})`);
      }
      rows.push({ values: parameters.map((k) => p[k]), where: parameters.map((k) => ['points', i, k]) });
    });
  }
  const paramWhere = (k: string): Path => (data.grid ? ['grid', k] : ['points', 0, k]);
  const paths = parameters.map((k) => {
    const segs = parseKeyPath(k);
    const problem = checkKeyPath(segs, baseData);
    if (problem) report(paramWhere(k), problem, 'key', k);
    return segs;
  });
  if (problems.length) throw new SweepError(dedupe(problems));

  const seed = (data.seed as number | undefined) ?? 1;
  const replications = (data.replications as number | undefined) ?? 2;
  let slaMs = 60_000;
  if (data.sla !== undefined) {
    try {
      slaMs = parseDuration(data.sla);
      if (!(slaMs > 0)) throw new Error(`must be above zero (got ${JSON.stringify(data.sla)})`);
    } catch (e) {
      report(['sla'], (e as Error).message);
    }
  }
  const capacity = (data.capacity ?? {}) as { storm?: string; a1Target?: number };
  const storm = capacity.storm ?? parameters[0];
  if (!parameters.includes(storm)) report(['capacity', 'storm'], `must be one of the varied keys (${parameters.join(', ')})`);

  const width = String(rows.length).length < 3 ? 3 : String(rows.length).length;
  const points: SweepPoint[] = rows.map((row, index) => {
    const scenario = structuredClone(baseData);
    paths.forEach((segs, j) => setAt(scenario, segs, row.values[j]));
    delete scenario.seed;
    const scenarioText = JSON.stringify(scenario);
    try {
      parseScenario(scenarioText, baseFile, 'json', { seed: 0 });
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      for (const p of e.problems) {
        // Named at the value that caused it, else at the point.
        const j = paths.findIndex((segs) => p.path.startsWith(formatPath(segs)) || formatPath(segs).startsWith(p.path || '\u0000'));
        const where = j >= 0 ? row.where[j] : row.where[0].slice(0, 2);
        report(where, `${p.message} (in the scenario of point ${index + 1})`, 'value', p.path || formatPath(where));
      }
    }
    return { index, id: `p${String(index + 1).padStart(width, '0')}`, values: row.values, scenarioText };
  });
  if (problems.length) throw new SweepError(dedupe(problems));

  const runs: SweepRun[] = points.flatMap((p) =>
    Array.from({ length: replications }, (_, r) => ({ id: `${p.id}-r${r + 1}`, point: p.index, replication: r + 1, seed: replicationSeed(seed, r) })),
  );
  const plan: Omit<SweepPlan, 'sweepId'> = {
    name: (data.name as string | undefined) ?? path.basename(file).replace(/\.(ya?ml|json)$/i, ''),
    file,
    base: baseRel,
    seed,
    replications,
    parameters,
    points,
    runs,
    slaMs,
    storm,
    a1TargetPct: capacity.a1Target ?? DEFAULT_A1_TARGET_PCT,
  };
  const { file: _file, ...content } = plan;
  return { ...plan, sweepId: createHash('sha256').update(JSON.stringify(content)).digest('hex') };
}

/** `events[0].share` -> ['events', 0, 'share']. */
export function parseKeyPath(k: string): Path {
  const out: Array<string | number> = [];
  for (const m of k.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

type SchemaNode = Record<string, unknown>;

function deref(s: SchemaNode): SchemaNode {
  const ref = s.$ref as string | undefined;
  if (!ref) return s;
  const name = ref.replace('#/definitions/', '');
  return (scenarioJsonSchema.definitions as Record<string, SchemaNode>)[name];
}

/**
 * Whether the scenario schema has the key path; a list item must exist in
 * the base (the point sets a field of it, it does not invent one). An event's
 * fields are those of its type in the base. Returns the problem, or null.
 */
export function checkKeyPath(segs: Path, baseData: unknown): string | null {
  let schema = scenarioJsonSchema as unknown as SchemaNode;
  let value: unknown = baseData;
  for (let i = 0; i < segs.length; i++) {
    schema = deref(schema);
    const seg = segs[i];
    const here = formatPath(segs.slice(0, i)) || 'the scenario';
    if (typeof seg === 'number') {
      if (schema.type !== 'array') return `${here} is not a list`;
      if (!Array.isArray(value) || seg >= value.length) {
        return `the base scenario has no ${formatPath(segs.slice(0, i + 1))} (a sweep sets a field of an item the base gives)`;
      }
      schema = schema.items as SchemaNode;
      value = value[seg];
      if (schema.oneOf) {
        const type = (value as { type?: unknown })?.type;
        const branch = (schema.oneOf as SchemaNode[]).find((b) => (b.properties as Record<string, SchemaNode>)?.type?.const === type);
        if (!branch) return `${formatPath(segs.slice(0, i + 1))} has no type the schema knows`;
        schema = branch;
      }
      continue;
    }
    if (schema.type !== 'object' && !schema.oneOf) return `${here} has no keys (it is not a mapping)`;
    const props = (schema.properties ?? {}) as Record<string, SchemaNode>;
    if (props[seg]) schema = props[seg];
    else if (typeof schema.additionalProperties === 'object') schema = schema.additionalProperties as SchemaNode;
    else {
      const known = Object.keys(props);
      return `no such scenario key "${seg}" under ${here} (expected ${known.join(', ')})`;
    }
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[seg] : undefined;
  }
  return null;
}

function setAt(root: Record<string, unknown>, segs: Path, v: unknown): void {
  let node: Record<string | number, unknown> = root;
  for (let i = 0; i < segs.length - 1; i++) {
    const seg = segs[i];
    if (node[seg] === undefined || node[seg] === null || typeof node[seg] !== 'object') node[seg] = {};
    node = node[seg] as Record<string | number, unknown>;
  }
  node[segs[segs.length - 1]] = structuredClone(v);
}
