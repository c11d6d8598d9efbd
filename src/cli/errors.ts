/**
 * How a command ends when something is wrong: one line on stderr saying what
 * and where, never a stack trace. Exit 2 for what the user gave (arguments, a
 * scenario, a run directory that is not one whole run), exit 1 for the
 * environment (disk, permissions, a directory in use). Signals end a command
 * with 130 (SIGINT) or 143 (SIGTERM) after its own cleanup.
 */
import { ScenarioError, parseScenario } from '../scenario/load.js';
import { parseDuration } from '../params/duration.js';
import { FeedError } from '../metrics/load.js';
import { ManifestMismatch } from '../feeds/manifest.js';
import { OutputError } from '../feeds/sink.js';
import { RunDirBusy, RunDirRefused } from '../feeds/run-dir.js';
import { BadLog } from '../record/bad-log.js';

/** A mistake in what the user asked for: printed without a stack, exit 2. */
export class UsageError extends Error {}

export function fail(err: unknown): never {
  if (err instanceof ScenarioError || err instanceof FeedError) {
    process.stderr.write(err.format() + '\n');
    process.exit(2);
  }
  if (err instanceof UsageError || err instanceof RunDirRefused || err instanceof ManifestMismatch || err instanceof BadLog) {
    process.stderr.write(`error: ${err.message}\n`);
    process.exit(2);
  }
  if (err instanceof OutputError || err instanceof RunDirBusy) {
    process.stderr.write(`error: ${err.message}\n`);
    process.exit(1);
  }
  // A fault of the tool itself: still one line, with the stack on request.
  const e = err as Error;
  process.stderr.write(`error: ${e?.message ?? String(err)} (an internal error; DCC_TWIN_DEBUG=1 shows where)\n`);
  if (process.env.DCC_TWIN_DEBUG) process.stderr.write(`${e?.stack ?? ''}\n`);
  process.exit(1);
}

/** A duration option (`--until`, `--sla`): whole milliseconds above zero. */
export function durationOption(option: string, value: string, max?: { ms: number; words: string }): number {
  let ms: number;
  try {
    ms = parseDuration(value);
  } catch (e) {
    throw new UsageError(`${option}: ${(e as Error).message}`);
  }
  if (!(ms > 0) || !Number.isSafeInteger(ms)) throw new UsageError(`${option}: must be a duration above zero (got ${JSON.stringify(value)})`);
  if (max && ms > max.ms) throw new UsageError(`${option}: must be at most ${max.words}, as a scenario's duration (got ${JSON.stringify(value)})`);
  return ms;
}

/** `--seed`, held to the rule of the scenario file's `seed` key (the same schema checks both). */
export function seedOption(value: string): number {
  const asNumber = /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
  try {
    return parseScenario(JSON.stringify({ seed: asNumber }), '--seed', 'json').seed;
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    throw new UsageError(`--seed: ${e.problems[0].message}`);
  }
}

/**
 * Runs `cleanup` and exits 130/143 on SIGINT or SIGTERM until the returned
 * function is called. Handlers run between the run's kernel slices (it
 * yields to the event loop for them).
 */
export function onInterrupt(cleanup: (signal: NodeJS.Signals) => string): () => void {
  const handler = (signal: NodeJS.Signals) => {
    const said = cleanup(signal);
    process.stderr.write(`\ninterrupted (${signal}): ${said}\n`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
