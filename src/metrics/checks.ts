/**
 * The SQL that decides whether a feed record could have been written by its
 * producer: each expression gives `field<TAB>problem` for the first thing
 * wrong with a row, or NULL. What the schema says of each value (types,
 * enums, patterns, ranges) comes from src/feeds/ through columns.ts; what it
 * cannot say (points stamped by one clock out of order, times outside the
 * run, an id used twice) from the feed's entry in FEEDS.
 */
import { formatTimestamp, type RunWindow } from '../feeds/index.js';
import { TIMESTAMP_FORMAT, ident, lit, type Column, type PresenceRule, type TableDef } from './columns.js';

const JSON_KIND: Record<Column['sqlType'], { types: string[]; noun: string }> = {
  VARCHAR: { types: ['VARCHAR'], noun: 'a string' },
  TIMESTAMP: { types: ['VARCHAR'], noun: 'a string' },
  BIGINT: { types: ['UBIGINT', 'BIGINT'], noun: 'an integer' },
  BOOLEAN: { types: ['BOOLEAN'], noun: 'true or false' },
};

/** DuckDB's json_type of a value as JSON would name it. */
function jsonNoun(t: string): string {
  return `CASE ${t} WHEN 'VARCHAR' THEN 'a string' WHEN 'UBIGINT' THEN 'an integer' WHEN 'BIGINT' THEN 'an integer' WHEN 'DOUBLE' THEN 'a number' WHEN 'BOOLEAN' THEN 'true or false' WHEN 'ARRAY' THEN 'an array' WHEN 'OBJECT' THEN 'an object' ELSE lower(${t}) END`;
}

export type CheckMode =
  /** read_json straight into the typed table: only what its types do not already enforce. */
  | 'table'
  /** Text values from line-by-line JSON reading, with `_types` (each value's JSON type) and `_extra` (a key problem). */
  | 'json'
  /** Text cells of a CSV line; an empty cell is NULL. */
  | 'csv';

/** The schema's checks of each value, for the first column of a row that breaks them; then its presence rules. */
export function valueProblemExpr(cols: readonly Column[], mode: CheckMode, rules: readonly PresenceRule[] = []): string {
  const parts = cols.map((c, i) => {
    const v = ident(c.name);
    const f = lit(c.name + '\t');
    const quoted = `'"' || ${v} || '"'`;
    const whens: string[] = [];
    if (mode === 'json') {
      const t = `_types[${i + 1}]`;
      if (c.required) whens.push(`WHEN ${t} IS NULL THEN ${f} || 'missing mandatory field'`);
      whens.push(`WHEN ${t} = 'NULL' THEN ${f} || 'null is not allowed (leave an absent field out)'`);
      const kind = JSON_KIND[c.sqlType];
      const okTypes = c.enumValues !== undefined ? ['VARCHAR'] : kind.types;
      whens.push(
        `WHEN ${t} IS NOT NULL AND ${t} NOT IN (${okTypes.map(lit).join(',')}) THEN ${f} || 'expected ${c.enumValues !== undefined ? 'a string' : kind.noun}, found ' || ${jsonNoun(t)}`,
      );
    } else if (c.required && !c.nullable) {
      whens.push(`WHEN ${v} IS NULL THEN ${f} || 'missing mandatory field'`);
    }
    const text = mode !== 'table';
    if (c.enumValues !== undefined) {
      whens.push(`WHEN ${v} NOT IN (${c.enumValues.map(lit).join(',')}) THEN ${f} || ${quoted} || ${lit(' is not one of ' + c.enumValues.join(', '))}`);
    } else if (c.sqlType === 'TIMESTAMP') {
      if (text) {
        whens.push(
          `WHEN NOT regexp_full_match(${v}, ${lit(c.pattern!)}) OR try_strptime(${v}, ${lit(TIMESTAMP_FORMAT)}) IS NULL THEN ${f} || ${quoted} || ' is not a timestamp YYYYMMDDHHMMSS.SSS'`,
        );
      }
    } else if (c.sqlType === 'BIGINT') {
      if (text) whens.push(`WHEN NOT regexp_full_match(${v}, '-?[0-9]{1,18}') THEN ${f} || ${quoted} || ' is not an integer'`);
      const n = text ? `CAST(${v} AS BIGINT)` : v;
      if (c.minimum !== undefined) whens.push(`WHEN ${n} < ${c.minimum} THEN ${f} || ${v} || ' is below the minimum ${c.minimum}'`);
      if (c.maximum !== undefined) whens.push(`WHEN ${n} > ${c.maximum} THEN ${f} || ${v} || ' is above the maximum ${c.maximum}'`);
    } else if (c.sqlType === 'BOOLEAN') {
      if (text) whens.push(`WHEN ${v} NOT IN ('true', 'false') THEN ${f} || ${quoted} || ' is not true or false'`);
    } else {
      if (c.minLength !== undefined) whens.push(`WHEN length(${v}) < ${c.minLength} THEN ${f} || 'empty string'`);
      if (c.pattern !== undefined) whens.push(`WHEN NOT regexp_full_match(${v}, ${lit(c.pattern)}) THEN ${f} || ${quoted} || ${lit(' does not match ' + c.pattern)}`);
    }
    return whens.length === 0 ? 'NULL' : `CASE ${whens.join(' ')} END`;
  });
  if (mode === 'json') parts.push('_extra');
  parts.push(...rules.map((r) => presenceProblemExpr(r, mode)));
  return `coalesce(${mode === 'table' ? '' : '_problem, '}${parts.join(', ')})`;
}

/** A field there although its rule's condition does not hold, or missing although it does. */
function presenceProblemExpr(r: PresenceRule, mode: CheckMode): string {
  const [f, w] = [ident(r.field), ident(r.when)];
  const value = typeof r.equals === 'string' ? lit(r.equals) : String(r.equals);
  const holds = mode === 'table' ? `${w} = ${value}` : `${w} = ${lit(String(r.equals))}`;
  const shown = typeof r.equals === 'string' ? JSON.stringify(r.equals) : String(r.equals);
  const otherwise = typeof r.equals === 'boolean' ? `is ${!r.equals}` : `is not ${shown}`;
  return `CASE WHEN ${holds} AND ${f} IS NULL THEN ${lit(`${r.field}\tmissing, though ${r.when} is ${shown} (present exactly when ${r.when} is ${shown})`)}
    WHEN ${w} IS NOT NULL AND NOT (${holds}) AND ${f} IS NOT NULL THEN ${lit(`${r.field}\t`)} || '"' || ${f} || '"' || ${lit(` given, though ${r.when} ${otherwise} (present exactly when ${r.when} is ${shown})`)} END`;
}

/**
 * Over `_keys`, the keys of a JSON object: a key the schema does not allow,
 * or a key given twice (read_json would keep one of its values silently).
 */
export function keyProblemExpr(def: TableDef, open: boolean): string {
  const names = def.columns.map((c) => lit(c.name)).join(', ');
  const whens = [`WHEN len(_keys) <> len(list_distinct(_keys)) THEN list_filter(_keys, (k, i) -> list_position(_keys, k) < i)[1] || '\tgiven twice in the record'`];
  if (!open) whens.push(`WHEN len(list_filter(_keys, k -> k NOT IN (${names}))) > 0 THEN list_filter(_keys, k -> k NOT IN (${names}))[1] || ${lit('\tnot a field of ' + def.feed.name)}`);
  return `CASE ${whens.join(' ')} END`;
}

/** The timestamp columns that must lie in the run's window. */
const windowed = (def: TableDef): Column[] => def.columns.filter((c) => c.sqlType === 'TIMESTAMP' && !def.feed.notInWindow?.includes(c.name));

const ts = (v: string): string => `'"' || strftime(${v}, ${lit(TIMESTAMP_FORMAT)}) || '"'`;

/**
 * Over typed columns: points stamped by one clock out of order, and times
 * outside the run's window (not checked when `window` is null).
 */
export function timeProblemExpr(def: TableDef, window: RunWindow | null): string {
  const whens: string[] = [];
  if (window !== null) {
    const from = window.fromMs - def.feed.windowSlackMs;
    const to = window.toMs + def.feed.windowSlackMs;
    const span = lit(` is outside the run, ${formatTimestamp(from)} to ${formatTimestamp(to)}`);
    for (const c of windowed(def)) {
      const v = ident(c.name);
      whens.push(`WHEN ${v} < make_timestamp(${from * 1000}) OR ${v} > make_timestamp(${to * 1000}) THEN ${lit(c.name + '\t')} || ${ts(v)} || ${span}`);
    }
  }
  for (const clock of def.feed.clocks) {
    clock.fields.forEach((later, j) => {
      for (const earlier of clock.fields.slice(0, j)) {
        const [a, b] = [ident(earlier), ident(later)];
        whens.push(`WHEN ${b} < ${a} THEN ${lit(later + '\t')} || ${ts(b)} || ' is before ${earlier} ' || ${ts(a)} || ${lit(` (both stamped by ${clock.producer})`)}`);
      }
    });
  }
  return whens.length === 0 ? 'NULL' : `CASE ${whens.join(' ')} END`;
}

/**
 * True when timeProblemExpr would give a problem: the same checks as one
 * condition, cheaper over millions of rows (the fast path only asks whether
 * a file is clean). greatest and least pass over NULLs.
 */
export function timeBadExpr(def: TableDef, window: RunWindow | null): string {
  const ors: string[] = [];
  const times = windowed(def).map((c) => ident(c.name));
  if (window !== null && times.length > 0) {
    const list = times.join(', ');
    ors.push(`least(${list}) < make_timestamp(${(window.fromMs - def.feed.windowSlackMs) * 1000})`);
    ors.push(`greatest(${list}) > make_timestamp(${(window.toMs + def.feed.windowSlackMs) * 1000})`);
  }
  for (const clock of def.feed.clocks) {
    const f = clock.fields.map(ident);
    for (let j = 1; j < f.length; j++) ors.push(`${f[j]} < greatest(${f.slice(0, j).join(', ')})`);
  }
  return ors.length === 0 ? 'false' : `coalesce(${ors.join(' OR ')}, false)`;
}

/**
 * The bytes (line ends excluded) a typed table's rows take when written as
 * the feeds' JSONL writers write them: keys and values without spaces or
 * escapes. A file of another length holds something read_json did not keep
 * or changed on the way: a field the schema does not have, a number given
 * for a string, a timestamp one digit short, spaces, escapes. Summed per
 * column, which costs a fraction of the reading; differences of opposite
 * signs in one file (a field too many on one line, a number for a string on
 * another) could cancel, which no producer's fault is likely to do exactly.
 */
export function canonicalBytesExpr(cols: readonly Column[]): string {
  const column = (c: Column): string => {
    const v = ident(c.name);
    const k = Buffer.byteLength(c.name) + 4; // "name": and a comma or the closing brace
    switch (c.sqlType) {
      case 'TIMESTAMP':
        return `count(${v}) * ${k + 20}`; // "YYYYMMDDHHMMSS.SSS"
      case 'BIGINT':
        return `coalesce(sum(strlen(CAST(${v} AS VARCHAR))), 0) + count(${v}) * ${k}`;
      case 'BOOLEAN':
        return `count(${v}) * ${k + 5} - count(*) FILTER (WHERE ${v})`; // false, true
      default:
        return `coalesce(sum(strlen(${v})), 0) + count(${v}) * ${k + 2}`;
    }
  };
  return ['count(*)', ...cols.map(column)].join(' + '); // one opening brace per row
}

/** The key's value as a message shows it. */
export function keyText(def: TableDef): string {
  const cols = def.feed.key.map((k) => def.columns.find((c) => c.name === k)!);
  const one = (c: Column): string => (c.sqlType === 'TIMESTAMP' ? `strftime(${ident(c.name)}, ${lit(TIMESTAMP_FORMAT)})` : `CAST(${ident(c.name)} AS VARCHAR)`);
  return cols.length === 1 ? `'"' || ${one(cols[0])} || '"'` : cols.map(one).join(` || ', ' || `);
}
