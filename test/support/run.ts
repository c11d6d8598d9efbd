/**
 * Runs a scenario given as YAML text into a temporary run directory and reads
 * its JSONL files back: the small end-to-end runs the flow tests make.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseScenario } from '../../src/scenario/load.js';
import { runTwin, type RunResult } from '../../src/twin.js';

export type Rec = Record<string, any>;

export interface Run {
  dir: string;
  result: RunResult;
  /** The records of a JSONL file of the run (path relative to the run directory). */
  jsonl(file: string): Rec[];
  remove(): void;
}

export async function runYaml(yaml: string, opts: { duis?: boolean } = {}): Promise<Run> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-run-'));
  const scenario = parseScenario(yaml, 'test.yaml');
  scenario.output.duisBodies = opts.duis ?? false;
  const result = await runTwin(scenario, { outDir: dir });
  return {
    dir,
    result,
    jsonl: (file) => readFileSync(path.join(dir, file), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Rec),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
