/**
 * The tables the metrics database holds, one per feed, with typed columns
 * derived from the feeds' JSON Schemas (src/feeds/). The schemas are the
 * authority (docs/feeds.md describes them); this module only turns each
 * property into a DuckDB column and the checks that decide whether a value
 * keeps to its schema.
 */
import { FEEDS, TIMESTAMP_PATTERN, type FeedInfo, type JsonSchema } from '../feeds/index.js';

export type SqlType = 'VARCHAR' | 'TIMESTAMP' | 'BIGINT' | 'BOOLEAN';

export interface Column {
  name: string;
  sqlType: SqlType;
  required: boolean;
  /** For CSV cells: an empty cell is allowed and reads as NULL. */
  nullable: boolean;
  enumValues?: readonly string[];
  /** A regular expression the whole string must match (timestamps included). */
  pattern?: string;
  minLength?: number;
  minimum?: number;
  maximum?: number;
}

/**
 * A field present exactly when another has one value: the schema's
 * `if: {properties: {when: {const}}}, then: {required: [field]}, else:
 * {properties: {field: false}}` (dsp-service-audit's exclusionReason, there
 * exactly when excludable is true).
 */
export interface PresenceRule {
  field: string;
  when: string;
  equals: string | number | boolean;
}

export interface TableDef {
  /** SQL table name: the feed name with `-` as `_` (dsp-ast -> dsp_ast). */
  table: string;
  feed: FeedInfo;
  columns: Column[];
  rules: PresenceRule[];
}

/** `YYYYMMDDHHMMSS.SSS` as DuckDB's strptime spells it (%g: milliseconds). */
export const TIMESTAMP_FORMAT = '%Y%m%d%H%M%S.%g';

type Prop = Record<string, unknown>;

function columnOf(name: string, prop: Prop, required: boolean): Column {
  let p = prop;
  let nullable = false;
  if (Array.isArray(p.anyOf)) {
    const alts = p.anyOf as Prop[];
    nullable = alts.some((a) => a.type === 'null');
    p = alts.find((a) => a.type !== 'null') ?? {};
  }
  const col: Column = { name, sqlType: 'VARCHAR', required, nullable };
  if (Array.isArray(p.enum)) {
    col.enumValues = (p.enum as unknown[]).map(String);
  } else if (p.type === 'integer') {
    col.sqlType = 'BIGINT';
    if (typeof p.minimum === 'number') col.minimum = p.minimum;
    if (typeof p.maximum === 'number') col.maximum = p.maximum;
  } else if (p.type === 'boolean') {
    col.sqlType = 'BOOLEAN';
  } else if (p.type === 'string') {
    if (p.pattern === TIMESTAMP_PATTERN) col.sqlType = 'TIMESTAMP';
    if (typeof p.pattern === 'string') col.pattern = p.pattern;
    if (typeof p.minLength === 'number') col.minLength = p.minLength;
  } else {
    throw new Error(`column ${name}: no DuckDB type for schema ${JSON.stringify(prop)}`);
  }
  return col;
}

/** The columns of one feed's schema, in the schema's property order. */
export function columnsOf(schema: JsonSchema): Column[] {
  const props = schema.properties as Record<string, Prop>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, p]) => columnOf(name, p, required.has(name)));
}

/** The schema's if/then/else as presence rules (the only form the feeds' schemas use). */
export function presenceRulesOf(schema: JsonSchema): PresenceRule[] {
  const cond = schema.if as { properties?: Record<string, { const?: unknown }> } | undefined;
  const then = schema.then as { required?: string[] } | undefined;
  const otherwise = schema.else as { properties?: Record<string, unknown> } | undefined;
  if (cond?.properties === undefined) return [];
  const [when, test] = Object.entries(cond.properties)[0];
  const equals = test.const;
  if (typeof equals !== 'string' && typeof equals !== 'number' && typeof equals !== 'boolean') return [];
  const forbidden = Object.entries(otherwise?.properties ?? {}).filter(([, p]) => p === false).map(([f]) => f);
  return (then?.required ?? []).filter((f) => forbidden.includes(f)).map((field) => ({ field, when, equals }));
}

/** One table per feed with a JSON Schema, ground truth included (table ground_truth). */
export const TABLES: readonly TableDef[] = FEEDS.map((feed) => ({
  table: feed.name.replace(/-/g, '_'),
  feed,
  columns: columnsOf(feed.schema),
  rules: presenceRulesOf(feed.schema),
}));

export function tableDef(table: string): TableDef {
  const t = TABLES.find((x) => x.table === table);
  if (t === undefined) throw new Error(`no table ${table}`);
  return t;
}

/** A double-quoted SQL identifier (feed fields are camelCase: HubTimestamp, T1 ...). */
export function ident(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** A single-quoted SQL string literal. */
export function lit(s: string): string {
  return "'" + s.replace(/'/g, "''") + "'";
}
