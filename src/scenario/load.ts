/**
 * Reading scenario files: parse (YAML or JSON), validate against the schema,
 * resolve defaults and semantic checks, and report EVERY problem found with
 * the file, line, column and key path, as `file:line:col: path: message`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { DISTRIBUTION_NAMES } from '../engine/distributions.js';
import { ALERT_CODES } from '../dcc/alerts.js';
import { AREA_IDS } from '../dcc/areas.js';
import { resolveScenario, type Path, type PathSegment } from './resolve.js';
import { COMPONENT_NAMES, EPOCH_PATTERN, EPOCH_WORDS, EVENT_TYPES, REGION_NAMES, scenarioJsonSchema } from './schema.js';
import { USER_ID_PATTERN } from '../network/index.js';
import type { Scenario } from './types.js';
import { firstAlias, jsonErrorOffset, MAX_ALIAS_COUNT, notUtf8, repeatedKeys } from './text.js';

export interface ScenarioProblem {
  file: string;
  /** 1-based; 0 when the problem has no place in the file (e.g. no such file). */
  line: number;
  column: number;
  /** Key path such as `estate.regions.east` or `events[2].at`; '' for the file as a whole. */
  path: string;
  message: string;
}

export class ScenarioError extends Error {
  readonly problems: ScenarioProblem[];

  constructor(problems: ScenarioProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ScenarioError';
    this.problems = problems;
  }

  /** One line per problem: `scenarios/x.yaml:12:5: estate.hubs: must be an integer > 0 (got -5)`. */
  format(): string {
    return this.problems.map(formatProblem).join('\n');
  }
}

function formatProblem(p: ScenarioProblem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file;
  return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
}

/** `['events', 2, 'at']` -> `events[2].at`. */
export function formatPath(segments: Path): string {
  let out = '';
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : out ? `.${s}` : s;
  return out;
}

let validator: ReturnType<Ajv['compile']> | undefined;
function validate(data: unknown): ErrorObject[] {
  // Compiled once per process: compiling costs far more than validating.
  validator ??= new Ajv({ allErrors: true, discriminator: true, verbose: true, allowUnionTypes: true }).compile(scenarioJsonSchema);
  return validator(data) ? [] : (validator.errors ?? []);
}

export interface LoadOverrides {
  /** Replaces the file's seed. */
  seed?: number;
  /** Replaces the run length (ms); events starting from then on are dropped. */
  until?: number;
}

export function loadScenario(file: string, overrides: LoadOverrides = {}): Scenario {
  return parseScenario(readScenarioFile(file).toString('utf8'), file, undefined, overrides);
}

/**
 * A scenario file's bytes (read once by a run, which hashes exactly what it
 * parsed). They must be UTF-8: decoding other bytes would replace them
 * silently, so the first one is named by line and column.
 */
export function readScenarioFile(file: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a scenario file' : `cannot read: ${(e as Error).message}`;
    throw new ScenarioError([{ file, line: 0, column: 0, path: '', message }]);
  }
  const bad = notUtf8(bytes);
  if (bad !== null) throw new ScenarioError([{ file, ...bad, path: '' }]);
  return bytes;
}

/**
 * Parse scenario text. `format` defaults from the extension of `sourceName`
 * (.json is JSON, anything else YAML).
 */
export function parseScenario(text: string, sourceName: string, format?: 'yaml' | 'json', overrides: LoadOverrides = {}): Scenario {
  const fmt = format ?? (/\.json$/i.test(sourceName) ? 'json' : 'yaml');
  const problems: ScenarioProblem[] = [];
  const lineCounter = new LineCounter();
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  let data: unknown;

  if (fmt === 'json') {
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new ScenarioError([jsonSyntaxProblem(text, sourceName, e as Error, at)]);
    }
    // JSON.parse keeps the last of duplicate keys silently; the YAML reading of the same text does not.
    for (const offset of repeatedKeys(doc)) problems.push({ file: sourceName, ...at(offset), path: '', message: 'duplicate key' });
  } else {
    for (const err of doc.errors) {
      problems.push({ file: sourceName, ...at(err.pos[0]), path: '', message: `YAML syntax error: ${firstLine(err.message)}` });
    }
    for (const offset of repeatedKeys(doc)) problems.push({ file: sourceName, ...at(offset), path: '', message: 'YAML syntax error: Map keys must be unique' });
    if (problems.length) throw new ScenarioError(dedupe(problems));
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (e) {
      if (!(e instanceof ReferenceError && /alias count/.test(e.message))) throw e;
      const message = `YAML aliases expand to too much data (more than ${MAX_ALIAS_COUNT} expansions; an alias bomb?)`;
      throw new ScenarioError([{ file: sourceName, ...at(firstAlias(doc)), path: '', message }]);
    }
  }
  // An empty file is a scenario of defaults only.
  if (data === null || data === undefined) data = {};

  const place = (segments: Path, where: 'key' | 'value' = 'value') => at(locate(doc, segments, where));
  const report = (segments: Path, message: string, where: 'key' | 'value' = 'value') => {
    problems.push({ file: sourceName, ...place(segments, where), path: formatPath(segments), message });
  };

  for (const err of validate(data)) {
    const p = describeAjvError(err);
    if (p) report(p.path, p.message, p.where);
  }
  const defaultName = path.basename(sourceName).replace(/\.(ya?ml|json)$/i, '');
  const scenario = resolveScenario(data, { source: sourceName, defaultName, seed: overrides.seed, until: overrides.until }, report);
  if (problems.length) throw new ScenarioError(dedupe(problems));
  return scenario;
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return (i < 0 ? s : s.slice(0, i)).replace(/ at line \d+, column \d+:?$/, '');
}

export function dedupe(problems: ScenarioProblem[]): ScenarioProblem[] {
  const seen = new Set<string>();
  const out = problems.filter((p) => {
    const k = formatProblem(p);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

function jsonSyntaxProblem(
  text: string,
  file: string,
  e: Error,
  at: (offset: number) => { line: number; column: number },
): ScenarioProblem {
  // V8 gives "... in JSON at position N" for most errors; for an unexpected
  // token it quotes the text instead, so find the place ourselves.
  const m = / at position (\d+)/.exec(e.message);
  let offset = m ? Number(m[1]) : jsonErrorOffset(text);
  if (offset > text.length) offset = text.length;
  const message = e.message
    .replace(/ at position \d+.*$/s, '')
    .replace(/ in JSON$/, '')
    .replace(/, .*is not valid JSON$/s, '');
  return { file, ...at(offset), path: '', message: `JSON syntax error: ${message}` };
}

/** Offset in the text of the node at `segments` (or of its key), or of the deepest ancestor found. */
export function locate(doc: Document, segments: Path, where: 'key' | 'value'): number {
  let node: Node | null | undefined = doc.contents as Node | null;
  let offset = node?.range?.[0] ?? 0;
  for (let i = 0; i < segments.length; i++) {
    const seg: PathSegment = segments[i];
    const last = i === segments.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((it) => (isScalar(it.key) ? String(it.key.value) : String(it.key)) === String(seg));
      if (!pair) return offset;
      const key = pair.key as Node | null;
      if (last && where === 'key' && key?.range) return key.range[0];
      node = pair.value as Node | null;
      // `key:` with no value: point at the key.
      offset = node?.range?.[0] ?? key?.range?.[0] ?? offset;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) return offset;
      node = item;
      offset = item.range?.[0] ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}

const AREA_LIST = `MPAN distributor ids ${AREA_IDS[0]}..${AREA_IDS[AREA_IDS.length - 1]}`;
/** Messages for enum errors on the name lists users meet most. */
const ENUM_NOUNS: Array<[readonly unknown[], string, string]> = [
  [AREA_IDS, 'area', AREA_LIST],
  [REGION_NAMES, 'region', 'north, central, south or smets1'],
  [COMPONENT_NAMES, 'component', 'cspNorth, cspCentral, cspSouth, s1sp or dsp'],
  [ALERT_CODES, 'alert code', ALERT_CODES.join(', ')],
  [DISTRIBUTION_NAMES, 'distribution', DISTRIBUTION_NAMES.join(', ')],
  [EVENT_TYPES, 'event type', 'powerOutage, componentOutage, serviceUserOutage, alertSurge or firmwareCampaign'],
];

/** Messages for the patterns of the scenario schema. */
const PATTERN_WORDS: Record<string, string> = {
  [USER_ID_PATTERN]: 'letters, digits, ".", "_" and "-", starting with a letter or digit, at most 64 (a User ID names a file)',
  [EPOCH_PATTERN]: `an ISO-8601 UTC time with ${EPOCH_WORDS}`,
};

const sameList = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((x, i) => x === b[i]);
const show = (v: unknown) => (v === undefined ? 'nothing' : typeof v === 'number' && !Number.isFinite(v) ? String(v) : JSON.stringify(v));

/** What a schema expects, in words: "an integer > 0", "a number between 0 and 1", "a mapping". */
function expected(schema: Record<string, unknown>): string {
  if (schema === scenarioJsonSchema.definitions.duration) {
    return 'a duration such as "350ms", "15m", "1h30m" or a number of milliseconds';
  }
  const type = schema.type;
  if (type === 'integer' || type === 'number') {
    const noun = type === 'integer' ? 'an integer' : 'a number';
    const { minimum, maximum, exclusiveMinimum } = schema as Record<string, number | undefined>;
    if (minimum !== undefined && maximum !== undefined) return `${noun} between ${minimum} and ${maximum}`;
    if (exclusiveMinimum !== undefined && maximum !== undefined) return `${noun} > ${exclusiveMinimum} and at most ${maximum}`;
    if (exclusiveMinimum !== undefined) return `${noun} > ${exclusiveMinimum}`;
    if (minimum !== undefined) return `${noun} >= ${minimum}`;
    return noun;
  }
  if (type === 'object') return 'a mapping';
  if (type === 'array') return 'a list';
  if (type === 'boolean') return 'true or false';
  if (type === 'string') return 'a string';
  return String(type);
}

interface Described {
  path: PathSegment[];
  message: string;
  where: 'key' | 'value';
}

/** Ajv's error in our words, at a path of segments; undefined for errors another one already says. */
function describeAjvError(err: ErrorObject): Described | undefined {
  const path: PathSegment[] = err.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const schema = (err.parentSchema ?? {}) as Record<string, unknown>;
  const params = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys((schema.properties as object | undefined) ?? {});
      const noun = sameList(known, REGION_NAMES) ? 'region' : 'key';
      return { path: [...path, key], where: 'key', message: `unknown ${noun} "${key}" (expected ${known.join(', ')})` };
    }
    case 'required':
      return { path: [...path, String(params.missingProperty)], where: 'value', message: 'is required' };
    case 'type':
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
      return { path, where: 'value', message: `must be ${expected(schema)} (got ${show(err.data)})` };
    case 'enum': {
      const allowed = params.allowedValues as unknown[];
      const known = ENUM_NOUNS.find(([list]) => sameList(list, allowed));
      if (known) return { path, where: 'value', message: `unknown ${known[1]} ${show(err.data)} (expected ${known[2]})` };
      return { path, where: 'value', message: `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')} (got ${show(err.data)})` };
    }
    case 'pattern': {
      const words = PATTERN_WORDS[String(params.pattern)] ?? `a string matching ${String(params.pattern)}`;
      return { path, where: 'value', message: `must be ${words} (got ${show(err.data)})` };
    }
    case 'minItems':
      return { path, where: 'value', message: `must have at least ${params.limit} item${params.limit === 1 ? '' : 's'}` };
    case 'maxItems':
      return { path, where: 'value', message: `must have at most ${params.limit} items` };
    case 'minLength':
      return { path, where: 'value', message: 'must not be empty' };
    case 'minProperties':
      return { path, where: 'value', message: 'must have at least one entry' };
    // The enum on the tag already names a bad `type` or `dist`; these would repeat it.
    case 'discriminator':
    case 'oneOf':
    case 'if':
      return undefined;
    default:
      return { path, where: 'value', message: err.message ?? err.keyword };
  }
}
