/**
 * Run directories that are always one whole run. A run writes into a
 * staging directory beside its target (`.<name>.partial-<pid>`, in the same
 * parent so that the final rename is atomic) and moves it into place only
 * once every file is complete and hashed: the previous run is replaced
 * whole, or left as it was if the run fails or is interrupted.
 *
 * A lock file beside the target (`.<name>.lock`, holding the owner's pid,
 * created atomically) keeps two commands off one run directory. What a
 * process that died (SIGKILL, power cut) leaves, a lock or a staging
 * directory, is recognised by its pid and cleared by the next command into
 * the same target, which says so.
 *
 * A directory without manifest.json is not a run directory; it is replaced
 * only when empty, or with `--force`, so that `--out ~` deletes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MANIFEST_PATH } from './manifest.js';
import { OutputError, reason } from './sink.js';

/** What the user asked for cannot be done to this directory (exit 2). */
export class RunDirRefused extends Error {
  override name = 'RunDirRefused';
}

/** Another live process holds the run directory's lock (exit 1). */
export class RunDirBusy extends Error {
  override name = 'RunDirBusy';
}

const PARTIAL = 'partial';
const OLD = 'old';

/** `.<name>.<what>` beside `target`. */
function beside(target: string, what: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${what}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The run directory `out` names, refused when it cannot be one: empty, the
 * file-system root, or the current directory or one above it (a run replaces
 * its directory whole).
 */
export function resolveRunDir(out: string, option = '--out'): string {
  if (out.trim() === '') throw new RunDirRefused(`${option}: the run directory is an empty path`);
  const abs = path.resolve(out);
  if (abs === path.parse(abs).root) throw new RunDirRefused(`${option} ${out}: the root directory cannot be a run directory`);
  const cwd = process.cwd();
  if (cwd === abs || cwd.startsWith(abs + path.sep)) {
    throw new RunDirRefused(`${option} ${out}: a run replaces its directory whole, so it cannot be the current directory or one above it`);
  }
  return path.isAbsolute(out) ? abs : path.relative(cwd, abs);
}

/** Creates the directory a run directory goes in (its lock and staging directory go there too). */
export function makeParent(target: string): void {
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
  } catch (err) {
    // mkdir -p meets EEXIST where a file stands in the path.
    const e = (err as NodeJS.ErrnoException).code === 'EEXIST' ? { code: 'ENOTDIR' } : err;
    throw new OutputError(`cannot create run directory ${target}: ${reason(e)}`);
  }
}

/** The lock on one run directory, held from the start of a command to its end. */
export class RunDirLock {
  private held = true;

  private constructor(readonly file: string) {}

  /**
   * Takes the lock of `target` or throws RunDirBusy naming its live owner. A
   * lock whose process has gone is taken over, with a line in `notes`.
   */
  static take(target: string, notes: string[]): RunDirLock {
    const file = beside(target, 'lock');
    const mine = `${file}.${process.pid}`;
    try {
      // Written whole under a private name, then linked: the lock never exists half-written.
      fs.writeFileSync(mine, `${process.pid}\n`);
    } catch (err) {
      throw new OutputError(`cannot lock ${target}: cannot write ${mine}: ${reason(err)}`);
    }
    try {
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          fs.linkSync(mine, file);
          return new RunDirLock(file);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new OutputError(`cannot lock ${target}: cannot create ${file}: ${reason(err)}`);
        }
        let owner: string;
        try {
          owner = fs.readFileSync(file, 'utf8');
        } catch {
          continue; // released meanwhile
        }
        const pid = Number.parseInt(owner, 10);
        if (Number.isSafeInteger(pid) && pid > 0 && alive(pid)) {
          throw new RunDirBusy(`${target} is in use by process ${pid} (lock ${file}); try again when it has finished`);
        }
        // Taken over only if it still names the same dead owner (another taker may have been first).
        try {
          if (fs.readFileSync(file, 'utf8') === owner) fs.rmSync(file);
        } catch {
          continue;
        }
        notes.push(`took over the lock ${file} of process ${owner.trim() || '(unknown)'}, which is no longer running`);
      }
      throw new RunDirBusy(`${target}: could not take the lock ${file}; another command keeps taking it`);
    } finally {
      fs.rmSync(mine, { force: true });
    }
  }

  release(): void {
    if (!this.held) return;
    this.held = false;
    try {
      if (Number.parseInt(fs.readFileSync(this.file, 'utf8'), 10) === process.pid) fs.rmSync(this.file);
    } catch {
      // already gone: nothing to release
    }
  }
}

/** Removes what dead processes left beside `target` (staging and set-aside directories), with a line each in `notes`. */
export function removeStale(target: string, notes: string[]): void {
  const parent = path.dirname(target);
  const prefix = `.${path.basename(target)}.`;
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const m = name.startsWith(prefix) ? /^(partial|old)-(\d+)$/.exec(name.slice(prefix.length)) : null;
    if (m === null) continue;
    const pid = Number(m[2]);
    if (pid === process.pid || alive(pid)) continue;
    const p = path.join(parent, name);
    if (m[1] === OLD && !fs.existsSync(target)) {
      // Died between setting the previous run aside and moving the new one in: put it back.
      try {
        fs.renameSync(p, target);
      } catch (err) {
        throw new OutputError(`cannot restore ${target} from ${p}, left by process ${pid}: ${reason(err)}`);
      }
      notes.push(`restored ${target} from ${p}, left by process ${pid}`);
      continue;
    }
    try {
      fs.rmSync(p, { recursive: true, force: true });
    } catch (err) {
      throw new OutputError(`cannot remove ${p}, left by process ${pid}: ${reason(err)}`);
    }
    notes.push(`removed ${p}, left unfinished by process ${pid}`);
  }
}

/** Where a run is written before it replaces its target. */
export class Staging {
  private constructor(
    readonly target: string,
    readonly dir: string,
  ) {}

  /**
   * Checks that `target` may be replaced (absent, empty, a run directory, or
   * anything with `force`), clears what dead runs left beside it, and creates
   * a fresh staging directory. Call with the target's lock held (and so its
   * parent made).
   */
  static begin(target: string, opts: { force: boolean }, notes: string[]): Staging {
    removeStale(target, notes);
    let entries: string[] | null = null;
    try {
      const st = fs.lstatSync(target);
      // A link would be replaced by the run, not followed: name the directory itself.
      if (st.isSymbolicLink()) throw new RunDirRefused(`${target} is a symbolic link; give the directory it points to`);
      if (!st.isDirectory()) throw new RunDirRefused(`${target} is a file, not a run directory`);
      entries = fs.readdirSync(target);
    } catch (err) {
      if (err instanceof RunDirRefused) throw err;
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new OutputError(`cannot read ${target}: ${reason(err)}`);
    }
    if (entries !== null && entries.length > 0 && !entries.includes(MANIFEST_PATH) && !opts.force) {
      throw new RunDirRefused(
        `${target} is not empty and has no ${MANIFEST_PATH}, so it is not a run directory; refusing to replace it (--force replaces it whole)`,
      );
    }
    const dir = beside(target, `${PARTIAL}-${process.pid}`);
    try {
      fs.mkdirSync(dir);
    } catch (err) {
      throw new OutputError(`cannot create run directory ${target}: cannot create ${dir}: ${reason(err)}`);
    }
    return new Staging(target, dir);
  }

  /** Moves the finished run into place, replacing whatever was there. Synchronous: no signal can land half-way. */
  commit(): void {
    const old = beside(this.target, `${OLD}-${process.pid}`);
    let setAside = false;
    try {
      fs.renameSync(this.target, old);
      setAside = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new OutputError(`cannot replace ${this.target}: ${reason(err)}`);
    }
    try {
      fs.renameSync(this.dir, this.target);
    } catch (err) {
      if (setAside) fs.renameSync(old, this.target);
      throw new OutputError(`cannot move ${this.dir} to ${this.target}: ${reason(err)}`);
    }
    if (setAside) fs.rmSync(old, { recursive: true, force: true });
  }

  /** Removes the unfinished run; returns false (leaving it, its name marking it partial) if it cannot. */
  abandon(): boolean {
    try {
      fs.rmSync(this.dir, { recursive: true, force: true, maxRetries: 3 });
      return true;
    } catch {
      return false;
    }
  }
}
