/**
 * A worker thread of `replay --out` (files.ts): renders its share of the
 * log's files and sends back what it wrote, or the error that stopped it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { renderFiles, type FilesJob } from './files.js';

try {
  parentPort!.postMessage({ part: renderFiles(workerData as FilesJob) });
} catch (e) {
  const err = e as Error;
  parentPort!.postMessage({ error: { name: err.name, message: err.message } });
}
