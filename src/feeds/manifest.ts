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
/** Where `run --record` puts the run's event log by default: in the run directory, beside the manifest, not in it. */
export const RUN_LOG_PATH = 'run.twinlog';

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
  /**
   * The scenario file's text as it was loaded for the run. The file is not
   * read again here: it may have changed since (the hash is null without it).
   */
  sourceText?: string | Buffer;
  /** The text's SHA-256 when the text itself is gone (a replayed log carries the hash). */
  sourceSha256?: string | null;
  /** The tool that ran the scenario (default: this one); a replay names the recording's. */
  tool?: { name: string; version: string };
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
  if (info.sourceSha256 !== undefined) return info.sourceSha256;
  return info.sourceText === undefined ? null : createHash('sha256').update(info.sourceText).digest('hex');
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
    tool: info.tool ?? toolInfo(),
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

/** A run directory that does not match its manifest: the user's input, named at its first mismatch. */
export class ManifestMismatch extends Error {
  override name = 'ManifestMismatch';
}

const SHA256 = /^[0-9a-f]{64}$/;

/** The manifest of `runDir`, its shape checked; a ManifestMismatch when there is none or it is malformed. */
export function readManifest(runDir: string): Manifest {
  const file = path.join(runDir, MANIFEST_PATH);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ManifestMismatch(`${runDir}: no ${MANIFEST_PATH}, so not a run directory this tool wrote (--no-verify reports on feeds from elsewhere)`);
    }
    throw new OutputError(`cannot read ${file}: ${(err as Error).message}`);
  }
  let m: Manifest;
  try {
    m = JSON.parse(text) as Manifest;
  } catch (err) {
    throw new ManifestMismatch(`${file}: not valid JSON (${(err as Error).message})`);
  }
  if (typeof m !== 'object' || m === null || !Array.isArray(m.files)) throw new ManifestMismatch(`${file}: files: missing (expected a list of files)`);
  m.files.forEach((f, i) => {
    const bad = (field: string, what: string) => new ManifestMismatch(`${file}: files[${i}].${field}: ${what}`);
    if (typeof f?.path !== 'string') throw bad('path', 'must be a string');
    try {
      checkRelPath(f.path);
    } catch (err) {
      throw bad('path', (err as Error).message);
    }
    if (!Number.isSafeInteger(f.records) || f.records < 0) throw bad('records', 'must be an integer >= 0');
    if (!Number.isSafeInteger(f.bytes) || f.bytes < 0) throw bad('bytes', 'must be an integer >= 0');
    if (typeof f.sha256 !== 'string' || !SHA256.test(f.sha256)) throw bad('sha256', 'must be 64 lower-case hex digits');
  });
  return m;
}

/** Every file under `dir`, relative to it with `/`, sorted. */
function filesUnder(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const p = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) out.push(...filesUnder(dir, p));
    else out.push(p);
  }
  return out.sort();
}

/**
 * Checks that `runDir` is one whole run: every file its manifest lists is
 * there with the manifest's size, record count and SHA-256, and nothing else
 * is (but `alsoAllowed`, e.g. the report's own files). Cheap checks (presence,
 * sizes, strays) come before hashing. Throws a ManifestMismatch naming the
 * first difference; returns the manifest.
 */
export function verifyRunDir(runDir: string, alsoAllowed: readonly string[] = []): Manifest {
  const m = readManifest(runDir);
  const where = (rel: string) => path.join(runDir, rel);
  for (const f of m.files) {
    let st: fs.Stats;
    try {
      st = fs.statSync(where(f.path));
    } catch {
      throw new ManifestMismatch(`${where(f.path)}: listed in ${MANIFEST_PATH} but missing`);
    }
    if (!st.isFile()) throw new ManifestMismatch(`${where(f.path)}: listed in ${MANIFEST_PATH} but not a file`);
    if (st.size !== f.bytes) throw new ManifestMismatch(`${where(f.path)}: ${st.size} bytes, ${MANIFEST_PATH} says ${f.bytes}`);
  }
  const known = new Set([MANIFEST_PATH, RUN_LOG_PATH, ...alsoAllowed, ...m.files.map((f) => checkRelPath(f.path))]);
  let present: string[];
  try {
    present = filesUnder(runDir);
  } catch (err) {
    throw new OutputError(`cannot list ${runDir}: ${(err as Error).message}`);
  }
  const stray = present.find((p) => !known.has(p));
  if (stray !== undefined) throw new ManifestMismatch(`${where(stray)}: not listed in ${MANIFEST_PATH}, so not part of this run`);
  for (const f of m.files) {
    const d = describeFile(runDir, f.path);
    if (d.sha256 !== f.sha256) throw new ManifestMismatch(`${where(f.path)}: SHA-256 differs from ${MANIFEST_PATH} (changed since the run)`);
    if (d.records !== f.records) throw new ManifestMismatch(`${where(f.path)}: ${d.records} records, ${MANIFEST_PATH} says ${f.records}`);
  }
  return m;
}
