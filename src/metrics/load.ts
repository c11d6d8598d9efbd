/**
 * Loads a run directory's feeds into DuckDB: one table per feed, typed
 * columns, timestamps parsed from YYYYMMDDHHMMSS.SSS. DuckDB does the
 * parsing (millions of lines never pass through JavaScript).
 *
 * Each JSONL file is first read with read_json straight into its typed table
 * (timestamps parsed by the reader), and what the column types do not
 * enforce (mandatory fields, enums, patterns, ranges) is checked in SQL, the
 * line being the table's rowid + 1. When read_json cannot read a file (a
 * line that is not JSON, a value its column type rejects, a blank line, a
 * truncated last line) the file is read again line by line as text and every
 * value is checked, so that the bad line and field can be named. The CSV
 * feed is small and always read line by line.
 *
 * Known leniency of the fast path: DuckDB's strptime also accepts a
 * timestamp with one digit too few in a field (`2026011500006.299`), and a
 * JSON number where a string is expected is read as its text. The line-by-
 * line reading is strict about both.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { TABLES, TIMESTAMP_FORMAT, ident, lit, type Column, type TableDef } from './columns.js';

/** A record that breaks its feed's schema. */
export class FeedError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly field: string,
    readonly problem: string,
  ) {
    super(line > 0 ? `${file}:${line}: ${field}: ${problem}` : `${file}: ${problem}`);
    this.name = 'FeedError';
  }

  /** One line: `file:line: field: problem` (`file: problem` when no line is concerned). */
  format(): string {
    return this.message;
  }
}

export interface BadRecord {
  /** Relative to the run directory. */
  file: string;
  line: number;
  field: string;
  problem: string;
}

export interface TableLoad {
  table: string;
  /** The file read, relative to the run directory, or null when the run has none (the table is then empty). */
  file: string | null;
  /** Data lines read (header excluded), bad ones included. */
  records: number;
  /** Lines that broke the schema (skipped). */
  badRecords: number;
  /** True when read_json could not read the file and it was read line by line. */
  lineByLine: boolean;
}

export interface LoadResult {
  tables: TableLoad[];
  records: number;
  badRecords: number;
  /** The first bad records (at most MAX_LISTED per file), in file and line order. */
  bad: BadRecord[];
  seconds: number;
}

export interface LoadOptions {
  /** 'stop' (the default) throws a FeedError at the first bad record; 'skip' leaves it out and counts it. */
  onBadRecord?: 'stop' | 'skip';
}

/** Bad records listed per file in the report; all of them are counted. */
export const MAX_LISTED = 20;

/** Line ends, blank lines and the final byte, read in one pass over the file. */
interface LineScan {
  bytes: number;
  newlines: number;
  blankLine: boolean;
  /** The file is not empty and its final byte is not `\n`: the last record was cut off. */
  truncated: boolean;
}

function scanLines(file: string): LineScan {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 24);
    let bytes = 0;
    let newlines = 0;
    let blankLine = false;
    let prev = 10; // a blank first line counts as a blank line
    for (;;) {
      const got = fs.readSync(fd, buf, 0, buf.length, bytes);
      if (got === 0) break;
      const view = got === buf.length ? buf : buf.subarray(0, got);
      if (view[0] === 10 && prev === 10) blankLine = true;
      let i = view.indexOf(10);
      while (i !== -1) {
        newlines++;
        if (i + 1 < got && view[i + 1] === 10) blankLine = true;
        i = view.indexOf(10, i + 1);
      }
      prev = view[got - 1];
      bytes += got;
    }
    return { bytes, newlines, blankLine, truncated: bytes > 0 && prev !== 10 };
  } finally {
    fs.closeSync(fd);
  }
}

async function exec(conn: DuckDBConnection, sql: string): Promise<void> {
  await conn.run(sql);
}

async function rows(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  const r = await conn.runAndReadAll(sql);
  return r.getRowObjectsJS() as Record<string, unknown>[];
}

const JSON_KIND: Record<Column['sqlType'], { types: string[]; noun: string }> = {
  VARCHAR: { types: ['VARCHAR'], noun: 'a string' },
  TIMESTAMP: { types: ['VARCHAR'], noun: 'a string' },
  BIGINT: { types: ['UBIGINT', 'BIGINT'], noun: 'an integer' },
  BOOLEAN: { types: ['BOOLEAN'], noun: 'true or false' },
};

type CheckMode =
  /** read_json straight into the typed table: only what its types do not already enforce. */
  | 'table'
  /** Text values from line-by-line JSON reading, with `_types` (each value's JSON type). */
  | 'json'
  /** Text cells of a CSV line; an empty cell is NULL. */
  | 'csv';

/**
 * The SQL expression giving `field<TAB>problem` for the first column of a row
 * that breaks the schema, or NULL.
 */
function problemExpr(cols: Column[], mode: CheckMode): string {
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
        `WHEN ${t} IS NOT NULL AND ${t} NOT IN (${okTypes.map(lit).join(',')}) THEN ${f} || 'expected ${c.enumValues !== undefined ? 'a string' : kind.noun}, found ' || lower(${t})`,
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
  return `coalesce(${mode === 'table' ? '' : '_problem, '}${parts.join(', ')})`;
}

function castExpr(c: Column): string {
  const v = ident(c.name);
  switch (c.sqlType) {
    case 'TIMESTAMP':
      return `strptime(${v}, ${lit(TIMESTAMP_FORMAT)}) AS ${v}`;
    case 'BIGINT':
      return `CAST(${v} AS BIGINT) AS ${v}`;
    case 'BOOLEAN':
      return `(${v} = 'true') AS ${v}`;
    default:
      return v;
  }
}

function typeStruct(cols: Column[]): string {
  return '{' + cols.map((c) => `${lit(c.name)}:${lit(c.sqlType)}`).join(',') + '}';
}

function emptyTableSql(def: TableDef): string {
  return `CREATE OR REPLACE TABLE ${def.table} (${def.columns.map((c) => `${ident(c.name)} ${c.sqlType}`).join(', ')})`;
}

/** Reads every line of a file as one VARCHAR (a blank line reads as NULL). */
function linesSql(file: string): string {
  // \x01 never appears in a JSONL or CSV line of the feeds (JSON escapes control characters).
  return `CREATE OR REPLACE TEMP TABLE _lines AS SELECT line FROM read_csv(${lit(file)}, columns={'line':'VARCHAR'}, delim='\x01', quote='', escape='', header=false, auto_detect=false, strict_mode=false)`;
}

const TRUNCATED = 'truncated last line (the file does not end with a line end)';

/**
 * The fast path: read_json straight into the typed table. Returns false when
 * read_json cannot read the file (malformed JSON, a value its column type
 * rejects) or reads a different number of records than the file has lines.
 */
async function loadJsonlTyped(conn: DuckDBConnection, def: TableDef, file: string, scan: LineScan): Promise<boolean> {
  if (scan.truncated || scan.blankLine) return false;
  try {
    await exec(
      conn,
      `CREATE OR REPLACE TABLE ${def.table} AS SELECT * FROM read_json(${lit(file)}, format='newline_delimited', columns=${typeStruct(def.columns)}, timestampformat=${lit(TIMESTAMP_FORMAT)}, maximum_object_size=16777216)`,
    );
  } catch {
    return false;
  }
  const n = Number((await rows(conn, `SELECT count(*) AS n FROM ${def.table}`))[0].n);
  return n === scan.newlines;
}

/** Stage a JSONL file line by line: `_line`, `_problem`, `_types` and every column as VARCHAR. */
async function stageJsonl(conn: DuckDBConnection, def: TableDef, file: string, scan: LineScan): Promise<void> {
  const cols = def.columns;
  await exec(conn, linesSql(file));
  const paths = '[' + cols.map((c) => lit('$.' + c.name)).join(', ') + ']';
  const lastLine = scan.truncated ? scan.newlines + 1 : -1;
  await exec(
    conn,
    `CREATE OR REPLACE TEMP TABLE _stage AS
     SELECT _line, _problem,
       CASE WHEN _problem IS NULL THEN json_type(line, ${paths}) END AS _types,
       ${cols.map((c) => `CASE WHEN _problem IS NULL THEN json_extract_string(line, ${lit('$.' + c.name)}) END AS ${ident(c.name)}`).join(',\n       ')}
     FROM (
       SELECT rowid + 1 AS _line, line,
         CASE WHEN rowid + 1 = ${lastLine} THEN ${lit('(line)\t' + TRUNCATED)}
              WHEN line IS NULL THEN '(line)\tblank line'
              WHEN NOT json_valid(line) THEN '(line)\tnot valid JSON'
              WHEN json_type(line) <> 'OBJECT' THEN '(line)\tnot a JSON object' END AS _problem
       FROM _lines)`,
  );
  await exec(conn, 'DROP TABLE _lines');
}

/** Stage a CSV file with a header row: data lines from line 2. */
async function stageCsv(conn: DuckDBConnection, def: TableDef, file: string, scan: LineScan): Promise<void> {
  const cols = def.columns;
  const header = cols.map((c) => c.name).join(',');
  const lastLine = scan.truncated ? scan.newlines + 1 : -1;
  await exec(conn, linesSql(file));
  const first = await rows(conn, 'SELECT line FROM _lines WHERE rowid = 0');
  const headerProblem = first.length > 0 && first[0].line !== header ? lit('(header)\texpected the header ' + header) : 'NULL';
  await exec(
    conn,
    `CREATE OR REPLACE TEMP TABLE _stage AS
     SELECT _line,
       CASE WHEN _line = 1 THEN ${headerProblem}
            WHEN _line = ${lastLine} THEN ${lit('(line)\t' + TRUNCATED)}
            WHEN line IS NULL THEN '(line)\tblank line'
            WHEN len(_cells) <> ${cols.length} THEN '(line)\texpected ${cols.length} comma-separated cells, found ' || len(_cells) END AS _problem,
       ${cols.map((c, i) => `CASE WHEN _line > 1 THEN nullif(_cells[${i + 1}], '') END AS ${ident(c.name)}`).join(', ')}
     FROM (SELECT rowid + 1 AS _line, line, string_split(coalesce(line, ''), ',') AS _cells FROM _lines)`,
  );
  await exec(conn, 'DROP TABLE _lines');
}

async function dropTemp(conn: DuckDBConnection): Promise<void> {
  await exec(conn, 'DROP TABLE IF EXISTS _stage; DROP TABLE IF EXISTS _bad');
}

/**
 * Loads every feed of `runDir` (and its ground-truth.jsonl) into `conn`, one
 * table per feed (see TABLES). Files the run does not have give empty tables.
 */
export async function loadRunDir(conn: DuckDBConnection, runDir: string, opts: LoadOptions = {}): Promise<LoadResult> {
  const t0 = performance.now();
  const mode = opts.onBadRecord ?? 'stop';
  const result: LoadResult = { tables: [], records: 0, badRecords: 0, bad: [], seconds: 0 };
  for (const def of TABLES) {
    const file = path.join(runDir, def.feed.path);
    if (!fs.existsSync(file)) {
      await exec(conn, emptyTableSql(def));
      result.tables.push({ table: def.table, file: null, records: 0, badRecords: 0, lineByLine: false });
      continue;
    }
    const scan = scanLines(file);
    const cols = def.columns;
    let lineByLine = true;
    if (def.feed.kind === 'jsonl' && (await loadJsonlTyped(conn, def, file, scan))) {
      // A table's rowid follows insertion order, which DuckDB keeps from the file: rowid + 1 is the line.
      await exec(
        conn,
        `CREATE OR REPLACE TEMP TABLE _bad AS SELECT _line, _err FROM (SELECT rowid + 1 AS _line, ${problemExpr(cols, 'table')} AS _err FROM ${def.table}) WHERE _err IS NOT NULL`,
      );
      // Clean: done. Otherwise read it again line by line, which can tell an explicit null from a
      // missing field and a number from a string, so that the messages are exact.
      lineByLine = Number((await rows(conn, 'SELECT count(*) AS n FROM _bad'))[0].n) > 0;
    }
    if (lineByLine) {
      if (def.feed.kind === 'csv') await stageCsv(conn, def, file, scan);
      else await stageJsonl(conn, def, file, scan);
      await exec(
        conn,
        def.feed.kind === 'csv'
          ? `CREATE OR REPLACE TEMP TABLE _bad AS SELECT _line, _err FROM (SELECT _line, CASE WHEN _line = 1 THEN _problem ELSE ${problemExpr(cols, 'csv')} END AS _err FROM _stage) WHERE _err IS NOT NULL`
          : `CREATE OR REPLACE TEMP TABLE _bad AS SELECT _line, _err FROM (SELECT _line, ${problemExpr(cols, 'json')} AS _err FROM _stage) WHERE _err IS NOT NULL`,
      );
    }
    const badCount = Number((await rows(conn, 'SELECT count(*) AS n FROM _bad'))[0].n);
    const listed = await rows(conn, `SELECT _line, _err FROM _bad ORDER BY _line LIMIT ${mode === 'stop' ? 1 : MAX_LISTED}`);
    const bad = listed.map((r) => {
      const [field, problem] = String(r._err).split('\t');
      return { file: def.feed.path, line: Number(r._line), field, problem };
    });
    if (mode === 'stop' && bad.length > 0) {
      await dropTemp(conn);
      await exec(conn, `DROP TABLE IF EXISTS ${def.table}`);
      throw new FeedError(file, bad[0].line, bad[0].field, bad[0].problem);
    }
    let records: number;
    if (lineByLine) {
      const header = def.feed.kind === 'csv' ? 1 : 0;
      await exec(conn, emptyTableSql(def));
      await exec(conn, `INSERT INTO ${def.table} SELECT ${cols.map(castExpr).join(', ')} FROM _stage WHERE _line > ${header} AND _line NOT IN (SELECT _line FROM _bad)`);
      records = Number((await rows(conn, `SELECT count(*) AS n FROM _stage WHERE _line > ${header}`))[0].n);
    } else {
      records = scan.newlines;
      if (badCount > 0) await exec(conn, `DELETE FROM ${def.table} WHERE rowid + 1 IN (SELECT _line FROM _bad)`);
    }
    await dropTemp(conn);
    result.tables.push({ table: def.table, file: def.feed.path, records, badRecords: badCount, lineByLine });
    result.records += records;
    result.badRecords += badCount;
    result.bad.push(...bad);
  }
  result.seconds = (performance.now() - t0) / 1000;
  return result;
}
