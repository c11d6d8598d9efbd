/**
 * manifest.json: what a run directory holds and where it came from: the
 * tool and its version, the scenario (name, source path, SHA-256 of its
 * text), seed, epoch and duration, and for every file its records, bytes
 * and SHA-256. It holds no wall-clock time and no host name, and its keys
 * are in a fixed order, so the same scenario and seed give the same
 * manifest byte for byte.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Scenario } from '../scenario/types.js';
import { OutputError, checkRelPath, type WrittenFile } from './sink.js';

export const MANIFEST_PATH = 'manifest.json';

export interface ManifestFile {
  path: string;
  records: number;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  tool: { name: string; version: string };
  scenario: { name: string; source: string; sha256: string | null };
  seed: number;
  /** Scenario epoch, ISO 8601 UTC. */
  epoch: string;
  durationMs: number;
  /** Sorted by path. */
  files: ManifestFile[];
}

export interface ManifestInfo {
  scenario: Pick<Scenario, 'name' | 'source' | 'seed' | 'epoch' | 'duration'>;
  /** The scenario file's text; read from `scenario.source` when not given. Null hash if neither is available. */
  sourceText?: string;
  /**
   * The files written: FileSink.written() entries, or paths relative to the
   * run directory, which are then read back to count lines and hash them.
   */
  files: ReadonlyArray<WrittenFile | string>;
}

let toolCache: { name: string; version: string } | undefined;

/** Name and version from the project's package.json, found upwards from this module (src/ or dist/src/). */
export function toolInfo(): { name: string; version: string } {
  if (toolCache) return toolCache;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const p = path.join(dir, 'package.json');
    if (fs.existsSync(p)) {
      const pkg = JSON.parse(fs.readFileSync(p, 'utf8')) as { name?: unknown; version?: unknown };
      if (typeof pkg.name === 'string' && typeof pkg.version === 'string') {
        toolCache = { name: pkg.name, version: pkg.version };
        return toolCache;
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json of the tool not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

/** Records (newlines), bytes and SHA-256 of a file already written, read in 1 MiB chunks. */
export function describeFile(runDir: string, relPath: string): ManifestFile {
  const rel = checkRelPath(relPath);
  const file = path.join(runDir, rel);
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(1 << 20);
  let bytes = 0;
  let records = 0;
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    throw new OutputError(`cannot read ${file} for the manifest: ${(err as Error).message}`);
  }
  try {
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      bytes += n;
      for (let i = buf.indexOf(10, 0); i !== -1 && i < n; i = buf.indexOf(10, i + 1)) records++;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { path: rel, records, bytes, sha256: hash.digest('hex') };
}

function sourceHash(info: ManifestInfo): string | null {
  let text = info.sourceText;
  if (text === undefined) {
    try {
      text = fs.readFileSync(info.scenario.source, 'utf8');
    } catch {
      return null;
    }
  }
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The manifest for a run directory whose files are closed. */
export function buildManifest(runDir: string, info: ManifestInfo): Manifest {
  const files = info.files
    .map((f): ManifestFile =>
      typeof f === 'string' ? describeFile(runDir, f) : { path: f.path, records: f.records, bytes: f.bytes, sha256: f.sha256 },
    )
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const s = info.scenario;
  return {
    tool: toolInfo(),
    scenario: { name: s.name, source: s.source, sha256: sourceHash(info) },
    seed: s.seed,
    epoch: new Date(s.epoch).toISOString(),
    durationMs: s.duration,
    files,
  };
}

/** Writes `<runDir>/manifest.json` (replacing one from an earlier run) and returns what it wrote. */
export async function writeManifest(runDir: string, info: ManifestInfo): Promise<Manifest> {
  const manifest = buildManifest(runDir, info);
  const file = path.join(runDir, MANIFEST_PATH);
  try {
    fs.writeFileSync(file, JSON.stringify(manifest, null, 2) + '\n');
  } catch (err) {
    throw new OutputError(`cannot write ${file}: ${(err as Error).message}`);
  }
  return manifest;
}
