/**
 * Loads a run directory's feeds into DuckDB: one table per feed, typed
 * columns, timestamps parsed from YYYYMMDDHHMMSS.SSS. DuckDB does the
 * parsing (millions of lines never pass through JavaScript).
 *
 * A record is bad when its producer could not have written it: a value its
 * schema does not allow, a field the schema does not have (CSP North's
 * records excepted: seed 001 section 4.2 says other fields are included), a
 * point stamped before an earlier point of the same clock, a time outside
 * the run's window (manifest.json: epoch, durationMs and the drain; not
 * checked without a manifest), an id already used in the feed, a line that
 * is not UTF-8 or is over 2 MiB. Points stamped by different producers are
 * not compared: their clocks may be skewed, a caveat of the report.
 *
 * Each JSONL file is first read with read_json straight into its typed table
 * and looked over once in SQL (checks.ts); a file that is clean there is
 * done. Otherwise (or when read_json cannot read it) it is read again line
 * by line as text and every check is made exactly, so that each bad line and
 * field can be named. The CSV feed is small and always read line by line.
 * Before either, scan.ts reads the bytes once for line ends, line lengths
 * and the lines DuckDB could not read at all.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { MANIFEST_PATH } from '../feeds/manifest.js';
import { formatTimestamp, runWindow, type RunWindow } from '../feeds/index.js';
import { TABLES, TIMESTAMP_FORMAT, ident, lit, type Column, type TableDef } from './columns.js';
import { MAX_LINE_BYTES, copyWithoutUnreadable, scanLines, type LineScan } from './scan.js';
import { canonicalBytesExpr, keyProblemExpr, keyText, timeBadExpr, timeProblemExpr, valueProblemExpr } from './checks.js';

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
  /** The run's window the feeds' times were checked against, or null when there is no manifest.json (not checked). */
  window: { from: string; to: string } | null;
  seconds: number;
}

export interface LoadOptions {
  /** 'stop' (the default) throws a FeedError at the first bad record; 'skip' leaves it out and counts it. */
  onBadRecord?: 'stop' | 'skip';
}

/** Bad records listed per file in the report; all of them are counted. */
export const MAX_LISTED = 20;

async function exec(conn: DuckDBConnection, sql: string): Promise<void> {
  await conn.run(sql);
}

async function rows(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  const r = await conn.runAndReadAll(sql);
  return r.getRowObjectsJS() as Record<string, unknown>[];
}

async function count(conn: DuckDBConnection, sql: string): Promise<number> {
  return Number((await rows(conn, `SELECT count(*) AS n FROM (${sql})`))[0].n);
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

function typeStruct(cols: readonly Column[]): string {
  return '{' + cols.map((c) => `${lit(c.name)}:${lit(c.sqlType)}`).join(',') + '}';
}

function emptyTableSql(def: TableDef): string {
  return `CREATE OR REPLACE TABLE ${def.table} (${def.columns.map((c) => `${ident(c.name)} ${c.sqlType}`).join(', ')})`;
}

const TRUNCATED = 'truncated last line (the file does not end with a line end)';

/**
 * The run's window from manifest.json, or null when the directory has none
 * (feeds from another source): their times are then not checked against it.
 */
function readRunWindow(runDir: string): RunWindow | null {
  const file = path.join(runDir, MANIFEST_PATH);
  if (!fs.existsSync(file)) return null;
  let m: { epoch?: unknown; durationMs?: unknown };
  try {
    m = JSON.parse(fs.readFileSync(file, 'utf8')) as typeof m;
  } catch (e) {
    throw new FeedError(file, 0, '', `not JSON (${(e as Error).message})`);
  }
  const epochMs = typeof m.epoch === 'string' ? Date.parse(m.epoch) : NaN;
  if (!Number.isFinite(epochMs)) throw new FeedError(file, 0, '', `epoch: ${JSON.stringify(m.epoch)} is not an ISO 8601 time`);
  if (!Number.isSafeInteger(m.durationMs) || (m.durationMs as number) <= 0) {
    throw new FeedError(file, 0, '', `durationMs: ${JSON.stringify(m.durationMs)} is not a whole number of milliseconds above zero`);
  }
  return runWindow(epochMs, m.durationMs as number);
}

/**
 * The fast path: read_json straight into the typed table, then one look over
 * it. True when every record keeps to its schema and the run: right count,
 * no value problem, no time out of order or outside the window, no id used
 * twice, and the file's lines exactly as long as its rows written back (see
 * canonicalBytesExpr), which is what catches the values read_json accepts
 * but changes: a number given for a string, a timestamp one digit short, a
 * field the schema does not have. False sends the file line by line.
 */
async function loadJsonlTyped(conn: DuckDBConnection, def: TableDef, file: string, scan: LineScan, window: RunWindow | null): Promise<boolean> {
  if (scan.truncated || scan.blankLine || scan.unreadable.length > 0) return false;
  try {
    await exec(
      conn,
      `CREATE OR REPLACE TABLE ${def.table} AS SELECT * FROM read_json(${lit(file)}, format='newline_delimited', columns=${typeStruct(def.columns)}, timestampformat=${lit(TIMESTAMP_FORMAT)}, maximum_object_size=${MAX_LINE_BYTES})`,
    );
  } catch {
    return false;
  }
  const key = def.feed.key.map(ident).join(', ');
  const [r] = await rows(
    conn,
    `SELECT count(*) AS n, count(*) FILTER (WHERE ${valueProblemExpr(def.columns, 'table', def.rules)} IS NOT NULL OR ${timeBadExpr(def, window)}) AS bad,
       CAST(${canonicalBytesExpr(def.columns)} AS VARCHAR) AS bytes, count((${key})) - count(DISTINCT (${key})) AS repeated
     FROM ${def.table}`,
  );
  // CSP North's records may have fields the schema does not name (seed 001 section 4.2): a file of
  // them is longer and goes line by line, where they are ignored.
  return Number(r.n) === scan.newlines && Number(r.bad) === 0 && r.bytes === String(scan.lineBytes) && Number(r.repeated) === 0;
}

/** Rows (`_line`, `_err`) whose key an earlier row of `src` already has. */
function duplicatesSql(def: TableDef, src: string, line: string): string {
  const key = def.feed.key.map(ident).join(', ');
  return `SELECT _line, ${lit(def.feed.key.join(', ') + '\t')} || _key || ' is already on line ' || _first AS _err
    FROM (SELECT ${line} AS _line, ${keyText(def)} AS _key, min(${line}) OVER (PARTITION BY ${key}) AS _first
          FROM ${src} WHERE ${def.feed.key.map((k) => `${ident(k)} IS NOT NULL`).join(' AND ')})
    WHERE _line > _first`;
}

/** The lines scanLines found unreadable, as table _unreadable (line, problem). */
async function unreadableTable(conn: DuckDBConnection, scan: LineScan): Promise<void> {
  await exec(conn, 'CREATE OR REPLACE TEMP TABLE _unreadable (line BIGINT, problem VARCHAR)');
  if (scan.unreadable.length === 0) return;
  const appender = await conn.createAppender('_unreadable', null, 'temp');
  for (const u of scan.unreadable) {
    appender.appendBigInt(BigInt(u.line));
    appender.appendVarchar('(line)\t' + u.problem);
    appender.endRow();
  }
  appender.closeSync();
}

/**
 * Every line of a file as one VARCHAR (a blank line reads as NULL), `_line`
 * its number, `_problem` what makes it no record at all: table _lines.
 */
async function readLines(conn: DuckDBConnection, file: string, scan: LineScan): Promise<void> {
  const lastLine = scan.truncated ? scan.newlines + 1 : -1;
  // \x01 never appears in a JSONL or CSV line of the feeds (JSON escapes control characters).
  await exec(
    conn,
    `CREATE OR REPLACE TEMP TABLE _raw AS SELECT line FROM read_csv(${lit(file)}, columns={'line':'VARCHAR'}, delim='\x01', quote='', escape='', header=false, auto_detect=false, strict_mode=false, max_line_size=${MAX_LINE_BYTES + 1})`,
  );
  await exec(
    conn,
    `CREATE OR REPLACE TEMP TABLE _lines AS
     SELECT l._line, l.line,
       CASE WHEN l._line = ${lastLine} THEN ${lit('(line)\t' + TRUNCATED)} WHEN u.problem IS NOT NULL THEN u.problem WHEN l.line IS NULL THEN '(line)\tblank line' END AS _problem
     FROM (SELECT rowid + 1 AS _line, line FROM _raw) l LEFT JOIN _unreadable u ON u.line = l._line
     ORDER BY l._line`,
  );
  await exec(conn, 'DROP TABLE _raw');
}

/** Stage a JSONL file line by line: `_line`, `_problem`, `_types`, `_extra` and every column as VARCHAR. */
async function stageJsonl(conn: DuckDBConnection, def: TableDef, file: string, scan: LineScan): Promise<void> {
  const cols = def.columns;
  await readLines(conn, file, scan);
  const paths = '[' + cols.map((c) => lit('$.' + c.name)).join(', ') + ']';
  const ok = '_problem IS NULL';
  await exec(
    conn,
    `CREATE OR REPLACE TEMP TABLE _stage AS
     SELECT _line, _problem,
       CASE WHEN ${ok} THEN json_type(line, ${paths}) END AS _types,
       CASE WHEN ${ok} THEN ${keyProblemExpr(def, def.feed.schema.additionalProperties !== false)} END AS _extra,
       ${cols.map((c) => `CASE WHEN ${ok} THEN json_extract_string(line, ${lit('$.' + c.name)}) END AS ${ident(c.name)}`).join(',\n       ')}
     FROM (
       SELECT _line, line, _keys,
         coalesce(_problem, CASE WHEN NOT json_valid(line) THEN '(line)\tnot valid JSON'
                                 WHEN json_type(line) <> 'OBJECT' THEN '(line)\tnot a JSON object' END) AS _problem
       FROM (SELECT *, CASE WHEN _problem IS NULL AND json_valid(line) AND json_type(line) = 'OBJECT' THEN json_keys(line) END AS _keys FROM _lines))`,
  );
  await exec(conn, 'DROP TABLE _lines');
}

/** Stage a CSV file with a header row: data lines from line 2. */
async function stageCsv(conn: DuckDBConnection, def: TableDef, file: string, scan: LineScan): Promise<void> {
  const cols = def.columns;
  const header = cols.map((c) => c.name).join(',');
  await readLines(conn, file, scan);
  const first = await rows(conn, 'SELECT line, _problem FROM _lines WHERE _line = 1');
  const headerProblem = first.length > 0 && first[0]._problem === null && first[0].line !== header ? lit('(header)\texpected the header ' + header) : 'NULL';
  await exec(
    conn,
    `CREATE OR REPLACE TEMP TABLE _stage AS
     SELECT _line,
       coalesce(_problem, CASE WHEN _line = 1 THEN ${headerProblem}
            WHEN len(_cells) <> ${cols.length} THEN '(line)\texpected ${cols.length} comma-separated cells, found ' || len(_cells) END) AS _problem,
       ${cols.map((c, i) => `CASE WHEN _line > 1 THEN nullif(_cells[${i + 1}], '') END AS ${ident(c.name)}`).join(', ')}
     FROM (SELECT _line, _problem, string_split(coalesce(line, ''), ',') AS _cells FROM _lines)`,
  );
  await exec(conn, 'DROP TABLE _lines');
}

/**
 * The exact path: the file read line by line as text, so that every problem
 * is named with its line and field. Leaves `_bad` (`_line`, `_err`) and
 * `_typed` (`_line` and the typed columns of the lines that are records).
 */
async function loadLineByLine(conn: DuckDBConnection, def: TableDef, file: string, scan: LineScan, window: RunWindow | null): Promise<void> {
  const csv = def.feed.kind === 'csv';
  let tmp: string | null = null;
  try {
    let read = file;
    if (scan.unreadable.length > 0) ({ copy: read, dir: tmp } = copyWithoutUnreadable(file, scan.unreadable));
    await unreadableTable(conn, scan);
    if (csv) await stageCsv(conn, def, read, scan);
    else await stageJsonl(conn, def, read, scan);
  } finally {
    if (tmp !== null) fs.rmSync(tmp, { recursive: true, force: true });
  }
  const header = csv ? 1 : 0;
  const textErr = csv ? `CASE WHEN _line = 1 THEN _problem ELSE ${valueProblemExpr(def.columns, 'csv', def.rules)} END` : valueProblemExpr(def.columns, 'json', def.rules);
  await exec(conn, `CREATE OR REPLACE TEMP TABLE _bad AS SELECT _line, _err FROM (SELECT _line, ${textErr} AS _err FROM _stage) WHERE _err IS NOT NULL`);
  await exec(
    conn,
    `CREATE OR REPLACE TEMP TABLE _typed AS SELECT _line, ${def.columns.map(castExpr).join(', ')} FROM _stage
     WHERE _line > ${header} AND _line NOT IN (SELECT _line FROM _bad) ORDER BY _line`,
  );
  const good = '_line NOT IN (SELECT _line FROM _bad)';
  await exec(conn, `INSERT INTO _bad SELECT _line, _err FROM (SELECT _line, ${timeProblemExpr(def, window)} AS _err FROM _typed) WHERE _err IS NOT NULL`);
  // An id used twice: the later record is the bad one (records already bad do not count).
  await exec(conn, `INSERT INTO _bad ${duplicatesSql(def, `(SELECT * FROM _typed WHERE ${good})`, '_line')}`);
}

async function dropTemp(conn: DuckDBConnection): Promise<void> {
  await exec(conn, 'DROP TABLE IF EXISTS _stage; DROP TABLE IF EXISTS _bad; DROP TABLE IF EXISTS _typed; DROP TABLE IF EXISTS _unreadable');
}

/**
 * Loads every feed of `runDir` (and its ground-truth.jsonl) into `conn`, one
 * table per feed (see TABLES). Files the run does not have give empty tables.
 */
export async function loadRunDir(conn: DuckDBConnection, runDir: string, opts: LoadOptions = {}): Promise<LoadResult> {
  const t0 = performance.now();
  const mode = opts.onBadRecord ?? 'stop';
  const window = readRunWindow(runDir);
  const result: LoadResult = {
    tables: [],
    records: 0,
    badRecords: 0,
    bad: [],
    window: window === null ? null : { from: formatTimestamp(window.fromMs), to: formatTimestamp(window.toMs) },
    seconds: 0,
  };
  for (const def of TABLES) {
    const file = path.join(runDir, def.feed.path);
    if (!fs.existsSync(file)) {
      await exec(conn, emptyTableSql(def));
      result.tables.push({ table: def.table, file: null, records: 0, badRecords: 0, lineByLine: false });
      continue;
    }
    const scan = scanLines(file);
    const lineByLine = !(def.feed.kind === 'jsonl' && (await loadJsonlTyped(conn, def, file, scan, window)));
    let records = scan.newlines;
    let badCount = 0;
    let bad: BadRecord[] = [];
    if (lineByLine) {
      await exec(conn, `DROP TABLE IF EXISTS ${def.table}`);
      await loadLineByLine(conn, def, file, scan, window);
      badCount = await count(conn, 'SELECT * FROM _bad');
      const listed = await rows(conn, `SELECT _line, _err FROM _bad ORDER BY _line LIMIT ${mode === 'stop' ? 1 : MAX_LISTED}`);
      bad = listed.map((r) => {
        const [field, problem] = String(r._err).split('\t');
        return { file: def.feed.path, line: Number(r._line), field, problem };
      });
      if (mode === 'stop' && bad.length > 0) {
        await dropTemp(conn);
        throw new FeedError(file, bad[0].line, bad[0].field, bad[0].problem);
      }
      await exec(conn, emptyTableSql(def));
      await exec(conn, `INSERT INTO ${def.table} SELECT ${def.columns.map((c) => ident(c.name)).join(', ')} FROM _typed WHERE _line NOT IN (SELECT _line FROM _bad) ORDER BY _line`);
      records = scan.newlines + (scan.truncated ? 1 : 0) - (def.feed.kind === 'csv' ? 1 : 0);
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
