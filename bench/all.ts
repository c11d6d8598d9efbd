/**
 * `npm run bench`: every benchmark, figures printed. Each part runs in this
 * process one after the other; the estate and storm parts release their
 * memory before the next starts (run with --expose-gc).
 *
 *   npm run bench                 all parts
 *   npm run bench -- hold storm   only those parts (hold, gbcs, estate, storm, storm-duis, metrics, requests,
 *                                 working-day-2m, availability, firmware, sweep, replay, serve, and gb-day: all of GB,
 *                                 never in the default set)
 */
import { benchHold, printHold } from './hold.js';
import { benchGbcs, printGbcs } from './gbcs.js';
import { benchEstate, printEstate } from './estate.js';
import { benchStorm, printStorm } from './storm.js';
import { benchMetrics } from './metrics.js';
import { GB_DAY_HUBS, WORKING_DAY_HUBS, benchRequests, printRequests } from './requests.js';
import { benchSweep } from './sweep.js';
import { benchAvailability, printAvailability } from './availability.js';
import { benchFirmware, printFirmware } from './firmware.js';
import { benchReplay, printReplay } from './replay.js';
import { benchServe, printServe } from './serve.js';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const want = process.argv.slice(2);
const on = (name: string) => want.length === 0 || want.includes(name);

console.log(`dcc-twin benchmarks on node ${process.version}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB\n`);

if (on('hold')) {
  printHold(benchHold());
  console.log();
  gc();
}
if (on('gbcs')) {
  printGbcs(benchGbcs());
  console.log();
}
if (on('estate')) {
  printEstate(await benchEstate());
  console.log();
  gc();
}
if (on('storm') || on('metrics')) {
  const keep = mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-bench-'));
  try {
    const r = await benchStorm(false, keep, undefined, on('metrics'));
    printStorm(r);
    gc();
    if (on('metrics')) {
      console.log();
      await benchMetrics(keep);
    }
  } finally {
    rmSync(keep, { recursive: true, force: true });
  }
  console.log();
  gc();
}
if (on('storm-duis') || want.length === 0) {
  printStorm(await benchStorm(true));
  console.log();
  gc();
}
if (on('requests')) {
  printRequests(await benchRequests());
  console.log();
  gc();
}
if (on('working-day-2m')) {
  printRequests(await benchRequests(WORKING_DAY_HUBS), 60);
  console.log();
  gc();
}
if (on('availability')) {
  printAvailability(await benchAvailability());
  gc();
}
if (on('firmware')) {
  console.log();
  printFirmware(await benchFirmware());
  gc();
}
if (on('sweep')) {
  console.log();
  await benchSweep();
}
if (on('replay')) {
  console.log();
  printReplay(await benchReplay());
  gc();
}
if (on('serve')) {
  console.log();
  printServe(await benchServe());
  gc();
}
// Only when named: a whole GB day runs for many minutes and needs several GiB.
if (want.includes('gb-day')) {
  console.log();
  printRequests(await benchRequests(GB_DAY_HUBS, true, true));
  gc();
}
