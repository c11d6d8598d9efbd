/** Runs a scenario text into memory and returns the request records (tests of the request flow). */
import { parseScenario } from '../../../src/scenario/load.js';
import type { Scenario } from '../../../src/scenario/types.js';
import { runTwin, type RunResult } from '../../../src/twin.js';
import { MemorySink, parseTimestamp, DSP_SERVICE_AUDIT_PATH, REQUEST_TRUTH_PATH } from '../../../src/feeds/index.js';

export type Rec = Record<string, unknown>;

export interface RequestRun {
  result: RunResult;
  sink: MemorySink;
  audit: Rec[];
  truth: Rec[];
  epoch: number;
  /** The scenario as run (a test may build its world again: buildWorld gives the same estate and network). */
  scenario: Scenario;
  /** ms since the epoch of a feed timestamp. */
  t: (ts: unknown) => number;
}

export async function runRequests(yaml: string): Promise<RequestRun> {
  const scenario = parseScenario(yaml, 'requests.yaml');
  scenario.output.duisBodies = false;
  const sink = new MemorySink();
  const result = await runTwin(scenario, { outDir: '/nonexistent', sink });
  const parse = (p: string) => sink.lines(p).map((l) => JSON.parse(l) as Rec);
  return {
    result,
    sink,
    audit: parse(DSP_SERVICE_AUDIT_PATH),
    truth: parse(REQUEST_TRUTH_PATH),
    epoch: scenario.epoch,
    scenario,
    t: (ts) => parseTimestamp(ts as string) - scenario.epoch,
  };
}

/** Round trip as the DSP measures it: from receipt (or execution) to the response sent. */
export function rtt(r: Rec, t: (ts: unknown) => number): number {
  return t(r.responseSentTimestamp) - t(r.executionTimestamp ?? r.receivedFromUserTimestamp);
}
