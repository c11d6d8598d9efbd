/**
 * A corpus of records no producer could have written, each made from the
 * good fixture a1-edges by one change, with the exact message the loader
 * gives (stop mode: the first bad record, as `file:line: field: problem`).
 * Then what must still load: points of different producers' clocks out of
 * order, CSP North's extra fields, spacing and escapes, times at the edges
 * of the run's window.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FeedError, runReport } from '../../src/metrics/index.js';
import { MAX_LINE_BYTES } from '../../src/metrics/scan.js';
import { BUSINESS_PROCESSES } from '../../src/dcc/srvs.js';
import { fixture, report } from './helpers.js';

const AST = 'feeds/dsp-ast.jsonl';
const RNI = 'feeds/csp-north-rni.jsonl';
const FWD = 'feeds/csp-forward.jsonl';
const S1SP = 'feeds/s1sp-audit-trail.jsonl';
const SU = 'feeds/su-deliveries.jsonl';
const CSV = 'feeds/alert-throughput-15min.csv';
const GT = 'ground-truth.jsonl';
const AUDIT = 'feeds/dsp-service-audit.jsonl';

/** Two Service Requests in the shape the twin writes them (a1-edges has none); each case adds the file. */
const REQUESTS = [
  '{"requestId":"R1-000000000002","srv":"5.1","timing":"scheduled","serviceUser":"SUPPLIER-E","region":"Central","deviceId":"00DB1201988BE241","deviceType":"ESME","businessProcess":"Billing","processId":"P1-000000000002","step":1,"userAttempt":1,"targetResponseTimeMs":86400000,"executionTimestamp":"20260115100015.525","sentToProviderTimestamp":"20260115100015.525","responseReceivedTimestamp":"20260115100018.888","responseSentTimestamp":"20260115100018.953","outcome":"success","responseCode":"I0","retries":0,"excludable":false}',
  '{"requestId":"R1-000000000003","srv":"5.1","timing":"scheduled","serviceUser":"SUPPLIER-C","region":"North","deviceId":"00DB12011128EE38","deviceType":"ESME","businessProcess":"Billing","processId":"P1-000000000003","step":1,"userAttempt":1,"targetResponseTimeMs":86400000,"executionTimestamp":"20260115100017.772","sentToProviderTimestamp":"20260115100017.772","responseReceivedTimestamp":"20260115100022.950","responseSentTimestamp":"20260115100023.002","outcome":"success","responseCode":"I0","retries":0,"excludable":false}',
];
const requests = (edit: (s: string) => string) => (): string => REQUESTS.map((r, i) => (i === 1 ? edit(r) : r)).join('\n') + '\n';

/** 09:30 for an hour: with the hour's drain, the run holds 09:30 to 11:30; a1-edges' times lie in 09:59 to 10:45. */
const MANIFEST = { epoch: '2026-01-15T09:30:00.000Z', durationMs: 3_600_000 };
const WINDOW = '20260115093000.000 to 20260115113000.000';

interface Case {
  name: string;
  file: string;
  /** The line changed (1-based); 0 for a change of the whole file. */
  line: number;
  edit: (text: string) => string | Buffer;
  /** `field: problem`, or a function of the changed file's bytes for messages that quote a position. */
  message: string | ((bytes: Buffer) => string);
  /** The line reported, when not the line changed. */
  reported?: number;
  manifest?: object;
}

/** A copy of a1-edges (with a manifest.json when given) whose `file` has had `edit` applied to one line or to all of it. */
function variant(file: string, line: number, edit: (s: string) => string | Buffer, manifest?: object): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-bad-'));
  cpSync(fixture('a1-edges'), dir, { recursive: true });
  if (manifest !== undefined) writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
  const p = path.join(dir, file);
  const bytes = (x: string | Buffer): Buffer => (typeof x === 'string' ? Buffer.from(x) : x);
  const text = existsSync(p) ? readFileSync(p, 'utf8') : '';
  if (line === 0) {
    writeFileSync(p, bytes(edit(text)));
  } else {
    const lines = text.split('\n').map(bytes);
    lines[line - 1] = bytes(edit(lines[line - 1].toString()));
    writeFileSync(p, Buffer.concat(lines.flatMap((l, i) => (i === 0 ? [l] : [Buffer.from('\n'), l]))));
  }
  return dir;
}

/** Replaces `from` (which must occur) by `to`. */
const sub = (from: string, to: string) => (s: string): string => {
  expect(s).toContain(from);
  return s.replace(from, to);
};

/** Latin-1 bytes for a line: é as the single byte 0xE9. */
const latin1 = (from: string, to: string) => (s: string): Buffer => Buffer.from(sub(from, to)(s), 'latin1');

const CASES: Case[] = [
  // Points stamped by one clock, out of order.
  { name: 'handshake before DSP receipt', file: AST, line: 1, edit: sub('"serviceUserHandshakeTimestamp":"20260115100100.000"', '"serviceUserHandshakeTimestamp":"20260115100001.000"'), message: 'serviceUserHandshakeTimestamp: "20260115100001.000" is before dspReceivedTimestamp "20260115100001.400" (both stamped by the DSP)' },
  { name: 'passed to the User before DSP receipt', file: AST, line: 2, edit: sub('"passedToServiceUserTimestamp":"20260115100002.000"', '"passedToServiceUserTimestamp":"20260115100001.500"'), message: 'passedToServiceUserTimestamp: "20260115100001.500" is before dspReceivedTimestamp "20260115100001.700" (both stamped by the DSP)' },
  { name: 'CSP passed before CSP received', file: AST, line: 4, edit: sub('"cspPassedTimestamp":"20260115101459.900"', '"cspPassedTimestamp":"20260115101459.400"'), message: 'cspPassedTimestamp: "20260115101459.400" is before cspReceivedTimestamp "20260115101459.500" (both stamped by the CSP)' },
  { name: 'CSP Central sent before received', file: FWD, line: 1, edit: sub('"cspSentTimestamp":"20260115101459.900"', '"cspSentTimestamp":"20260115101459.100"'), message: 'cspSentTimestamp: "20260115101459.100" is before cspReceivedTimestamp "20260115101459.500" (both stamped by the CSP)' },
  { name: 'S1SP T5 before T4', file: S1SP, line: 1, edit: sub('"T5":"20260115103000.600"', '"T5":"20260115103000.200"'), message: 'T5: "20260115103000.200" is before T4 "20260115103000.300" (both stamped by the S1SP)' },
  { name: 'gateway handshake before the sending', file: SU, line: 3, edit: sub('"handshakeTimestamp":"20260115100005.500"', '"handshakeTimestamp":"20260115100005.100"'), message: 'handshakeTimestamp: "20260115100005.100" is before sentTimestamp "20260115100005.200" (both stamped by the DSP)' },
  { name: 'true handshake before the true CSP departure', file: GT, line: 1, edit: sub('"trueHandshakeTimestamp":"20260115100100.000"', '"trueHandshakeTimestamp":"20260115100001.000"'), message: 'trueHandshakeTimestamp: "20260115100001.000" is before trueCspDepartureTimestamp "20260115100001.350" (both stamped by the true clock)' },
  { name: 'window ending before it starts', file: CSV, line: 2, edit: sub('20260115100000.000,20260115101500.000', '20260115100000.000,20260115094500.000'), message: 'windowEnd: "20260115094500.000" is before windowStart "20260115100000.000" (both stamped by the DSP)' },

  // An id used twice: the later record is the bad one.
  { name: 'alertId twice', file: AST, line: 2, edit: sub('"alertId":"A2"', '"alertId":"A1"'), message: 'alertId: "A1" is already on line 1' },
  { name: 'responseId twice', file: RNI, line: 3, edit: sub('"responseId":"R3"', '"responseId":"R1"'), message: 'responseId: "R1" is already on line 1' },
  { name: 'messageId twice', file: FWD, line: 2, edit: sub('"messageId":"M5"', '"messageId":"M4"'), message: 'messageId: "M4" is already on line 1' },
  { name: 'auditId twice', file: S1SP, line: 0, edit: (s) => s + s.replace('"T4":"20260115103000.300",', ''), reported: 2, message: 'auditId: "S7" is already on line 1' },
  { name: 'deliveryId twice', file: SU, line: 2, edit: sub('"deliveryId":"D2"', '"deliveryId":"D1"'), message: 'deliveryId: "D1" is already on line 1' },
  { name: 'ground-truth alertId twice', file: GT, line: 2, edit: sub('"alertId":"A2"', '"alertId":"A1"'), message: 'alertId: "A1" is already on line 1' },
  { name: 'throughput row twice', file: CSV, line: 3, edit: sub(',North,8F36,', ',North,8F35,'), message: 'windowStart, region, alertCode: 20260115100000.000, North, 8F35 is already on line 2' },

  { name: 'requestId twice', file: AUDIT, line: 0, reported: 2, edit: requests(sub('"requestId":"R1-000000000003"', '"requestId":"R1-000000000002"')), message: 'requestId: "R1-000000000002" is already on line 1' },
  { name: 'response sent before the response came', file: AUDIT, line: 0, reported: 2, edit: requests(sub('"responseSentTimestamp":"20260115100023.002"', '"responseSentTimestamp":"20260115100022.002"')), message: 'responseSentTimestamp: "20260115100022.002" is before responseReceivedTimestamp "20260115100022.950" (both stamped by the DSP)' },

  // The process fields of a Service Request (docs/feeds.md, dsp-service-audit.jsonl).
  { name: 'an unknown business process', file: AUDIT, line: 0, reported: 2, edit: requests(sub('"businessProcess":"Billing"', '"businessProcess":"Meter Reading"')), message: `businessProcess: "Meter Reading" is not one of ${BUSINESS_PROCESSES.join(', ')}` },
  { name: 'an unknown device type', file: AUDIT, line: 0, reported: 2, edit: requests(sub('"deviceType":"ESME"', '"deviceType":"HUB"')), message: 'deviceType: "HUB" is not one of CHF, ESME, GSME, GPF, PPMID' },
  { name: 'an empty processId', file: AUDIT, line: 0, reported: 2, edit: requests(sub('"processId":"P1-000000000003"', '"processId":""')), message: 'processId: empty string' },
  { name: 'step 0', file: AUDIT, line: 0, reported: 2, edit: requests(sub('"step":1', '"step":0')), message: 'step: 0 is below the minimum 1' },
  { name: 'userAttempt 0', file: AUDIT, line: 0, reported: 2, edit: requests(sub('"userAttempt":1', '"userAttempt":0')), message: 'userAttempt: 0 is below the minimum 1' },
  { name: 'an exclusionReason on a request not excludable', file: AUDIT, line: 0, reported: 2, edit: requests(sub('"excludable":false}', '"excludable":false,"exclusionReason":"notWaited"}')), message: 'exclusionReason: "notWaited" given, though excludable is false (present exactly when excludable is true)' },
  { name: 'an excludable request without its exclusionReason', file: AUDIT, line: 0, reported: 2, edit: requests(sub('"outcome":"success","responseCode":"I0","retries":0,"excludable":false}', '"outcome":"failure","responseCode":"E3","retries":0,"excludable":true}')), message: 'exclusionReason: missing, though excludable is true (present exactly when excludable is true)' },
  { name: 'an unknown exclusionReason', file: AUDIT, line: 0, reported: 2, edit: requests(sub('"outcome":"success","responseCode":"I0","retries":0,"excludable":false}', '"outcome":"failure","responseCode":"E3","retries":0,"excludable":true,"exclusionReason":"userError"}')), message: 'exclusionReason: "userError" is not one of validFailure, notWaited' },

  // Times outside the run's window (manifest.json).
  { name: 'year 9999', file: AST, line: 3, manifest: MANIFEST, edit: sub('"dspReceivedTimestamp":"20260115100005.050"', '"dspReceivedTimestamp":"99991231235959.999"'), message: `dspReceivedTimestamp: "99991231235959.999" is outside the run, ${WINDOW}` },
  { name: 'before the epoch', file: AST, line: 3, manifest: MANIFEST, edit: sub('"cspReceivedTimestamp":"20260115100005.000"', '"cspReceivedTimestamp":"20260115092959.999"'), message: `cspReceivedTimestamp: "20260115092959.999" is outside the run, ${WINDOW}` },
  { name: 'after the drain', file: SU, line: 1, manifest: MANIFEST, edit: sub('"handshakeTimestamp":"20260115100100.000"', '"handshakeTimestamp":"20260115113000.001"'), message: `handshakeTimestamp: "20260115113000.001" is outside the run, ${WINDOW}` },
  { name: 'a hub time in another year', file: RNI, line: 1, manifest: MANIFEST, edit: sub('"HubTimestamp":"20260115100000.000"', '"HubTimestamp":"20250115100000.000"'), message: `HubTimestamp: "20250115100000.000" is outside the run, ${WINDOW}` },
  { name: 'a throughput window beyond its quarter hour of slack', file: CSV, line: 2, manifest: MANIFEST, edit: sub('20260115100000.000,20260115101500.000', '20260115090000.000,20260115091500.000'), message: 'windowStart: "20260115090000.000" is outside the run, 20260115091500.000 to 20260115114500.000' },

  // Fields the schema does not have.
  { name: 'an unknown field', file: AST, line: 1, edit: sub('"throttled":false}', '"throttled":false,"priority":1}'), message: 'priority: not a field of dsp-ast' },
  { name: 'an unknown field in su-deliveries', file: SU, line: 2, edit: sub('"attempt":1,', '"attempt":1,"retry":false,'), message: 'retry: not a field of su-deliveries' },
  { name: 'a misspelt optional field', file: FWD, line: 2, edit: sub('"HubTimestamp"', '"hubTimestamp"'), message: 'hubTimestamp: not a field of csp-forward' },
  { name: 'a field given twice', file: AST, line: 1, edit: sub('"throttled":false}', '"throttled":false,"region":"South"}'), message: 'region: given twice in the record' },

  // What DuckDB's JSON reader would take as it is.
  { name: 'a timestamp one digit short', file: AST, line: 2, edit: sub('"dspReceivedTimestamp":"20260115100001.700"', '"dspReceivedTimestamp":"2026011510001.700"'), message: 'dspReceivedTimestamp: "2026011510001.700" is not a timestamp YYYYMMDDHHMMSS.SSS' },
  { name: 'a number for a string id', file: AST, line: 2, edit: sub('"alertId":"A2"', '"alertId":2'), message: 'alertId: expected a string, found an integer' },
  { name: 'a number that matches the EUI-64 pattern', file: AST, line: 3, edit: sub('"deviceId":"00DB120000000003"', '"deviceId":1234567890123456'), message: 'deviceId: expected a string, found an integer' },
  { name: 'a number for a timestamp', file: FWD, line: 1, edit: sub('"cspReceivedTimestamp":"20260115101459.500"', '"cspReceivedTimestamp":20260115101459.500'), message: 'cspReceivedTimestamp: expected a string, found a number' },
  { name: 'a fraction for an integer', file: SU, line: 1, edit: sub('"attempt":1', '"attempt":1.0'), message: 'attempt: expected an integer, found a number' },
  { name: 'a string for a boolean', file: AST, line: 5, edit: sub('"throttled":false', '"throttled":"false"'), message: 'throttled: expected true or false, found a string' },
  { name: 'a number for a string in the CSP North feed', file: RNI, line: 2, edit: sub('"responseId":"R2"', '"responseId":2'), message: 'responseId: expected a string, found an integer' },

  // Bytes DuckDB cannot read.
  { name: 'a Latin-1 byte', file: AST, line: 2, edit: latin1('"targetUser":"DNO-SSEN"', '"targetUser":"DNO-SSÉN"'), message: (b) => `(line): not UTF-8 text (byte 0xC9 at column ${lineOf(b, 2).indexOf(0xc9) + 1})` },
  { name: 'a Latin-1 byte in the CSV', file: CSV, line: 4, edit: latin1(',Central,', ',Céntral,'), message: (b) => `(line): not UTF-8 text (byte 0xE9 at column ${lineOf(b, 4).indexOf(0xe9) + 1})` },
  { name: 'a UTF-8 sequence cut short', file: SU, line: 3, edit: (s) => Buffer.concat([Buffer.from(s.slice(0, 20)), Buffer.from([0xe2, 0x82]), Buffer.from(s.slice(20))]), message: '(line): not UTF-8 text (byte 0xE2 at column 21)' },
  { name: 'a line over 2 MiB', file: AST, line: 3, edit: sub('"targetUser":"DNO-SSEN"', `"targetUser":"${'X'.repeat(MAX_LINE_BYTES)}"`), message: (b) => `(line): a line of ${lineOf(b, 3).length} bytes, over the ${MAX_LINE_BYTES} a record may have` },
  { name: 'a cut-off last line that is not UTF-8', file: AST, line: 0, edit: (s) => Buffer.concat([Buffer.from(s), Buffer.from('{"alertId":"A9","targetUser":"\xe9', 'latin1')]), reported: 9, message: '(line): truncated last line (the file does not end with a line end)' },
];

function lineOf(bytes: Buffer, line: number): Buffer {
  let start = 0;
  for (let i = 1; i < line; i++) start = bytes.indexOf(10, start) + 1;
  const end = bytes.indexOf(10, start);
  return bytes.subarray(start, end === -1 ? bytes.length : end);
}

async function stopError(dir: string): Promise<FeedError> {
  try {
    await runReport(dir, { out: mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-metrics-')), verify: false });
  } catch (e) {
    if (e instanceof FeedError) return e;
    throw e;
  }
  throw new Error(`no FeedError for ${dir}`);
}

describe('a corpus of bad feeds: the first bad record, exactly', () => {
  it.each(CASES)('$name', async (c) => {
    const dir = variant(c.file, c.line, c.edit, c.manifest);
    const p = path.join(dir, c.file);
    const message = typeof c.message === 'string' ? c.message : c.message(readFileSync(p));
    const e = await stopError(dir);
    expect(e.format()).toBe(`${p}:${c.reported ?? c.line}: ${message}`);
  });
});

describe('skip mode', () => {
  it('skips and counts the bad records of every kind, and keeps the rest', async () => {
    let dir = variant(AST, 2, latin1('"targetUser":"DNO-SSEN"', '"targetUser":"DNO-SSÉN"'));
    const ast = path.join(dir, AST);
    const lines = readFileSync(ast).toString('latin1').split('\n');
    lines[4] = lines[4].replace('"alertId":"A5"', '"alertId":"A1"'); // line 5: an id twice
    lines[6] = lines[6].replace('"alertCode":"810D"', '"alertCode":"810D","note":"x"'); // line 7: an unknown field
    writeFileSync(ast, Buffer.from(lines.join('\n'), 'latin1'));
    dir = path.dirname(path.dirname(ast));
    const r = await report(dir, { onBadRecord: 'skip' });
    expect(r.json.load.tables.find((t: any) => t.table === 'dsp_ast')).toMatchObject({ records: 8, badRecords: 3 });
    expect(r.json.load.bad.map((b: any) => [b.line, b.field])).toEqual([
      [2, '(line)'],
      [5, 'alertId'],
      [7, 'note'],
    ]);
    // A1 counts 7 of the fixture's 8 alerts (not the rejected A6); A2, A5 and A7 are skipped.
    expect(r.json.metrics.a1_measure.rows.find((x: any) => x.key.region === 'All').feed.alerts).toBe(4);
    expect(readFileSync(path.join(r.out, 'report.md'), 'utf8')).toContain(`| ${AST} | 5 | alertId | "A1" is already on line 1 |`);
  });

  it('a line over 2 MiB is skipped without reading it', async () => {
    const dir = variant(AST, 3, sub('"targetUser":"DNO-SSEN"', `"targetUser":"${'X'.repeat(3 * MAX_LINE_BYTES)}"`));
    const r = await report(dir, { onBadRecord: 'skip' });
    expect(r.json.load.bad).toEqual([expect.objectContaining({ file: AST, line: 3, field: '(line)' })]);
    expect(r.json.load.tables.find((t: any) => t.table === 'dsp_ast')).toMatchObject({ records: 8, badRecords: 1 });
  });
});

describe('what still loads', () => {
  const loadsAsTheFixture = async (dir: string): Promise<void> => {
    const good = await report(fixture('a1-edges'));
    const r = await report(dir);
    expect(r.badRecords).toBe(0);
    expect(r.json.metrics).toEqual(good.json.metrics);
  };

  it('points stamped by different producers out of order: skew is a caveat, not an error', async () => {
    // The hub's clock ahead of CSP North's: HubTimestamp (chfReceivedTimestamp) after the CSP's time.
    let dir = variant(AST, 1, sub('"chfReceivedTimestamp":"20260115100000.000"', '"chfReceivedTimestamp":"20260115100002.000"'));
    expect((await report(dir)).badRecords).toBe(0);
    dir = variant(RNI, 1, sub('"HubTimestamp":"20260115100000.000"', '"HubTimestamp":"20260115100002.000"'));
    expect((await report(dir)).badRecords).toBe(0);
  });

  it('CSP North records with other fields (seed 001 section 4.2: "other fields are included"), ignored', async () => {
    const dir = variant(RNI, 0, (s) => s.replaceAll('"payload":', '"rssi":-71,"meta":{"cell":"N-17"},"payload":'));
    expect(readFileSync(path.join(dir, RNI), 'utf8')).toContain('"rssi":-71');
    const r = await report(dir);
    expect(r.json.load.tables.find((t: any) => t.table === 'csp_north_rni')).toMatchObject({ records: 3, badRecords: 0 });
    await loadsAsTheFixture(dir);
  });

  it('spaces between tokens and escaped characters: the same records', async () => {
    await loadsAsTheFixture(variant(AST, 0, (s) => s.replaceAll('":"', '": "').replaceAll(',"', ', "')));
    await loadsAsTheFixture(variant(AST, 2, sub('"targetUser":"DNO-SSEN"', '"targetUser":"DNO-\\u0053SEN"')));
  });

  it('times at the very edges of the run, and a throughput window starting before the epoch', async () => {
    const edges = { epoch: '2026-01-15T09:59:59.990Z', durationMs: 1_000 };
    // The drain ends at 10:59:59.990 + 1 s: move the latest times (10:45 window end, 10:30:30.500 handshake) inside it.
    let dir = variant(SU, 1, sub('"handshakeTimestamp":"20260115100100.000"', '"handshakeTimestamp":"20260115110000.990"'), edges);
    const r = await report(dir);
    expect(r.badRecords).toBe(0);
    expect(r.json.load.window).toEqual({ from: '20260115095959.990', to: '20260115110000.990' });
    dir = variant(SU, 1, sub('"handshakeTimestamp":"20260115100100.000"', '"handshakeTimestamp":"20260115110000.991"'), edges);
    expect((await stopError(dir)).format()).toMatch(/su-deliveries.jsonl:1: handshakeTimestamp: "20260115110000.991" is outside the run, 20260115095959.990 to 20260115110000.990$/);
  });

  it("the ground truth's failed-queue expiry, two days after the run, is no time of the run", async () => {
    const expiry = '"outcome":"failed","trueFailedQueueExpiryTimestamp":"20260117101500.100"';
    const dir = variant(GT, 4, sub('"outcome":"failed"', expiry), MANIFEST);
    expect(readFileSync(path.join(dir, GT), 'utf8')).toContain(expiry);
    expect((await report(dir)).badRecords).toBe(0);
  });

  it('without a manifest the window is not checked, and the report says so', async () => {
    const r = await report(fixture('other-source'));
    expect(r.json.load.window).toBeNull();
    expect(readFileSync(path.join(r.out, 'report.md'), 'utf8')).toContain('No manifest.json: times were not checked against the run.');
    const dir = variant(AST, 3, sub('"dspReceivedTimestamp":"20260115100005.050"', '"dspReceivedTimestamp":"99991231235959.999"'));
    // No manifest: year 9999 is still a time; the order of the DSP's points is what it breaks.
    expect((await stopError(dir)).format()).toMatch(/:3: passedToServiceUserTimestamp: "20260115100005.200" is before dspReceivedTimestamp "99991231235959.999" \(both stamped by the DSP\)$/);
  });

  it('a manifest whose epoch is no time', async () => {
    const dir = variant(AST, 1, (s) => s, { epoch: 'yesterday', durationMs: 1000 });
    expect((await stopError(dir)).format()).toBe(`${path.join(dir, 'manifest.json')}: epoch: "yesterday" is not an ISO 8601 time`);
  });
});
