/**
 * The event log recorded on its own thread (src/record/log-thread.ts): the
 * lines a run writes, handed through the ring of shared buffers at their
 * simulated times, must give the log RecordingSink writes from them on the
 * same thread, byte for byte; a line longer than a buffer and text beyond
 * ASCII must come through whole. The worker is the built module, as the
 * feeds thread's is.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/load.js';
import { runTwin } from '../../src/twin.js';
import { MemorySink } from '../../src/feeds/sink.js';
import { replayLog } from '../../src/record/replay.js';
import { LogTap } from '../../src/record/log-thread.js';
import { SMALL_SCENARIO } from '../support/record.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-log-thread-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!existsSync(path.join(root, 'dist/src/record/log-thread.js')))('the log thread', () => {
  it('writes the log RecordingSink writes on the same thread, byte for byte', async () => {
    const scenario = parseScenario(SMALL_SCENARIO, 'small.yaml');
    // Recorded on the simulation thread: the run written to memory records inline.
    const inline = path.join(tmp, 'inline.twinlog');
    await runTwin(scenario, { outDir: tmp, sink: new MemorySink(), record: inline });
    // The same lines at the same times, through the log thread.
    const threaded = path.join(tmp, 'threaded.twinlog');
    const clock = { now: scenario.epoch };
    const tap = new LogTap(new MemorySink(), threaded, { scenario }, () => clock.now - scenario.epoch);
    // The trailer's end is the clock when the log closes: the run's end, as the replay finishes.
    const end = { nextDue: () => Infinity, advance() {}, finish: (ms: number) => void (clock.now = ms) };
    const r = await replayLog(inline, tap, { clock, listeners: [end] });
    expect(r.complete).toBe(true);
    expect(tap.logBytes).toBe(readFileSync(inline).length);
    expect(readFileSync(threaded).equals(readFileSync(inline))).toBe(true);
  }, 120_000);

  it('carries a line longer than a buffer, and text beyond ASCII, whole', async () => {
    const scenario = parseScenario(SMALL_SCENARIO, 'small.yaml');
    const log = path.join(tmp, 'long.twinlog');
    let now = 0;
    const tap = new LogTap(new MemorySink(), log, { scenario }, () => now);
    const csv = tap.open('feeds/long.csv', 'csv');
    const jsonl = tap.open('feeds/long.jsonl', 'jsonl');
    const long = 'x'.repeat(5 << 20) + 'é';
    const lines: Array<[typeof csv, string]> = [
      [csv, 'a,b,c'],
      [jsonl, '{"alertId":"AE803B7AB-000000000042","note":"Öl € 😀"}'],
      [csv, long],
      [jsonl, '{"alertId":"AE803B7AB-000000000043","note":"plain"}'],
      [csv, 'é,€,😀'],
    ];
    for (const [w, line] of lines) {
      now += 1000;
      w.write(line);
    }
    await tap.close();
    const back = new MemorySink();
    const r = await replayLog(log, back);
    expect(r.complete).toBe(true);
    expect(back.text('feeds/long.csv')).toBe(['a,b,c', long, 'é,€,😀', ''].join('\n'));
    expect(back.text('feeds/long.jsonl')).toBe([lines[1][1], lines[3][1], ''].join('\n'));
  }, 60_000);

  it('is the run\'s recorder when told to be (DCC_TWIN_LOG_THREAD=1): the log replays the run\'s files', () => {
    const cli = path.join(root, 'dist/src/cli/main.js');
    const dccTwin = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...process.env, DCC_TWIN_LOG_THREAD: '1' } });
    writeFileSync(path.join(tmp, 'small.yaml'), SMALL_SCENARIO);
    const run = path.join(tmp, 'run');
    const r = dccTwin('run', path.join(tmp, 'small.yaml'), '--out', run, '--no-report', '--no-duis', '--record');
    expect(r.status, r.stderr).toBe(0);
    const again = path.join(tmp, 'again');
    const p = dccTwin('replay', path.join(run, 'run.twinlog'), '--out', again);
    expect(p.status, p.stderr).toBe(0);
    expect(readFileSync(path.join(again, 'manifest.json'), 'utf8')).toBe(readFileSync(path.join(run, 'manifest.json'), 'utf8'));
  }, 120_000);

  it('raises a log it cannot create as the run would: an OutputError naming it', () => {
    const scenario = parseScenario(SMALL_SCENARIO, 'small.yaml');
    writeFileSync(path.join(tmp, 'a-file'), '');
    const inTheWay = path.join(tmp, 'a-file', 'x.twinlog');
    expect(() => new LogTap(new MemorySink(), inTheWay, { scenario }, () => 0)).toThrow(expect.objectContaining({ name: 'OutputError', message: expect.stringMatching(/cannot create the log .*x\.twinlog/) }));
  });
});
