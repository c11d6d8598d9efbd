/**
 * The span of time a run's feeds can hold: from the scenario epoch to its end
 * plus the drain, the time the simulator goes on following journeys still in
 * flight at the end (src/flows/twin.ts). Every timing point of every record
 * falls in it, so the metrics loader takes a time outside it for a record
 * the run could not have written.
 */

/**
 * Journeys still in flight at the end are followed for at most this long:
 * what is already pending then (restorations, retries) still happens.
 */
export const DRAIN_MS = 3_600_000;

export interface RunWindow {
  /** Unix ms of the scenario epoch. */
  fromMs: number;
  /** Unix ms of the end of the run plus DRAIN_MS. */
  toMs: number;
}

/** The window of a run starting at `epochMs` and lasting `durationMs`. */
export function runWindow(epochMs: number, durationMs: number): RunWindow {
  return { fromMs: epochMs, toMs: epochMs + durationMs + DRAIN_MS };
}
