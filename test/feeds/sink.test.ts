import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSink, MemorySink, OutputError, TeeSink, prepareRunDir, checkRelPath } from '../../src/feeds/sink.js';

const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'feeds-sink-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** Lines that exercise multi-byte UTF-8, many flushes and one record larger than any buffer. */
function sampleLines(): string[] {
  const lines: string[] = [];
  for (let i = 0; i < 60_000; i++) lines.push(`{"n":${i},"s":"é€😀 ${'x'.repeat(i % 97)}"}`);
  lines.splice(30_000, 0, 'B'.repeat(5 * 1024 * 1024) + 'é');
  lines.push('');
  return lines;
}

describe('FileSink', () => {
  // Through the page cache, and around it (src/feeds/direct-io.ts: whole blocks straight from the buffers, the rest staged).
  for (const [direct, how] of [[false, ''], [true, ', written direct']] as const) {
    it(`writes exactly what was written, counts records and bytes, and hashes the file${how}`, async () => {
      const dir = tmp();
      prepareRunDir(dir);
      const sink = new FileSink(dir, true, direct);
      const a = sink.open('feeds/a.jsonl', 'jsonl');
      const x = sink.open('feeds/duis/USER-1.ndxml', 'ndxml');
      const lines = sampleLines();
      for (const l of lines) a.write(l);
      x.write('<sr:Response/>');
      const expected = Buffer.from(lines.join('\n') + '\n', 'utf8');
      expect(a.records).toBe(lines.length);
      expect(a.bytes).toBe(expected.length);
      await sink.close();
      const onDisk = fs.readFileSync(path.join(dir, 'feeds/a.jsonl'));
      expect(onDisk.equals(expected)).toBe(true);
      expect(fs.readFileSync(path.join(dir, 'feeds/duis/USER-1.ndxml'), 'utf8')).toBe('<sr:Response/>\n');
      expect(sink.written()).toEqual([
        { path: 'feeds/a.jsonl', kind: 'jsonl', records: lines.length, bytes: expected.length, sha256: sha(onDisk) },
        { path: 'feeds/duis/USER-1.ndxml', kind: 'ndxml', records: 1, bytes: 15, sha256: sha('<sr:Response/>\n') },
      ]);
      expect(() => a.write('late')).toThrow(OutputError);
      expect(() => sink.open('feeds/b.jsonl', 'jsonl')).toThrow(/closed/);
    });

    it(`fills buffers the writer thread handed back without leaving their old bytes in the files${how}`, async () => {
      const dir = tmp();
      prepareRunDir(dir);
      const sink = new FileSink(dir, true, direct);
      const files = ['feeds/a.jsonl', 'feeds/b.jsonl'].map((p) => ({ p, w: sink.open(p, 'jsonl'), lines: [] as string[] }));
      // Rounds of a few MiB per file, with pauses in which the thread hands written buffers back,
      // as a run does between kernel slices; each file's lines differ in length and content.
      for (let round = 0; round < 6; round++) {
        for (const [k, f] of files.entries()) {
          for (let i = 0; i < 20_000; i++) {
            const line = `{"f":${k},"r":${round},"i":${i},"pad":"${'ab'[k].repeat((i * 7 + k * 13) % 150)}"}`;
            f.w.write(line);
            f.lines.push(line);
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await sink.close();
      for (const f of files) {
        const expected = f.lines.join('\n') + '\n';
        expect(fs.readFileSync(path.join(dir, f.p), 'utf8') === expected).toBe(true);
        expect(sink.written().find((x) => x.path === f.p)?.sha256).toBe(sha(expected));
      }
    });
  }

  it('replaces files left by an earlier run and writes empty files for feeds with no records', async () => {
    const dir = tmp();
    prepareRunDir(dir);
    fs.writeFileSync(path.join(dir, 'feeds/a.jsonl'), 'old content that is longer than the new\n'.repeat(100));
    const sink = new FileSink(dir);
    sink.open('feeds/a.jsonl', 'jsonl').write('{"new":1}');
    sink.open('feeds/empty.jsonl', 'jsonl');
    await sink.close();
    expect(fs.readFileSync(path.join(dir, 'feeds/a.jsonl'), 'utf8')).toBe('{"new":1}\n');
    expect(fs.readFileSync(path.join(dir, 'feeds/empty.jsonl'), 'utf8')).toBe('');
    expect(sink.written()[1]).toEqual({ path: 'feeds/empty.jsonl', kind: 'jsonl', records: 0, bytes: 0, sha256: sha('') });
  });

  it('without storing, counts and hashes every file as it would have been written, and writes none', async () => {
    const lines = sampleLines();
    const stored = tmp();
    prepareRunDir(stored);
    const discarded = tmp();
    const sinks = [new FileSink(stored), new FileSink(discarded, false)];
    for (const sink of sinks) {
      const w = sink.open('feeds/a.jsonl', 'jsonl');
      for (const l of lines) w.write(l);
      await sink.close();
    }
    expect(sinks[1].written()).toEqual(sinks[0].written());
    expect(sinks[1].written()[0].sha256).toBe(sha(fs.readFileSync(path.join(stored, 'feeds/a.jsonl'))));
    expect(fs.readdirSync(discarded)).toEqual([]);
  });

  it('refuses paths outside the run directory and a path opened twice', () => {
    const sink = new FileSink(tmp());
    expect(() => sink.open('../escape.jsonl', 'jsonl')).toThrow(/not a relative path inside the run directory/);
    expect(() => sink.open('/etc/x.jsonl', 'jsonl')).toThrow(OutputError);
    expect(() => sink.open('feeds/../../x', 'jsonl')).toThrow(OutputError);
    sink.open('feeds/a.jsonl', 'jsonl');
    expect(() => sink.open('feeds/./a.jsonl', 'jsonl')).toThrow(/already open/);
    expect(checkRelPath('feeds\\duis\\U.ndxml')).toBe('feeds/duis/U.ndxml');
  });
});

describe('MemorySink and TeeSink', () => {
  it('MemorySink keeps lines and reports what FileSink would write', async () => {
    const mem = new MemorySink();
    const dir = tmp();
    const file = new FileSink(dir);
    const tee = new TeeSink(mem, file);
    const w = tee.open('feeds/a.jsonl', 'jsonl');
    const lines = ['{"a":"é"}', '{"b":2}'];
    for (const l of lines) w.write(l);
    expect(w.records).toBe(2);
    expect(w.bytes).toBe(Buffer.byteLength('{"a":"é"}\n{"b":2}\n'));
    await tee.close();
    expect(mem.lines('feeds/a.jsonl')).toEqual(lines);
    expect(mem.text('feeds/a.jsonl')).toBe(fs.readFileSync(path.join(dir, 'feeds/a.jsonl'), 'utf8'));
    expect(mem.written()).toEqual(file.written());
    expect(mem.paths()).toEqual(['feeds/a.jsonl']);
    expect(mem.lines('feeds/none.jsonl')).toEqual([]);
    expect(() => w.write('x')).toThrow(/after the sink was closed/);
  });
});

describe('prepareRunDir', () => {
  it('creates the run directory and feeds/ inside it, leaving no probe behind', () => {
    const dir = path.join(tmp(), 'a', 'b', 'run');
    prepareRunDir(dir);
    expect(fs.statSync(path.join(dir, 'feeds')).isDirectory()).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['feeds']);
    expect(fs.readdirSync(path.join(dir, 'feeds'))).toEqual([]);
    prepareRunDir(dir); // an existing run directory is fine
  });

  it('reports a directory under a regular file, naming it and the reason', () => {
    const base = tmp();
    fs.writeFileSync(path.join(base, 'plain'), 'x');
    const dir = path.join(base, 'plain', 'run');
    let err: unknown;
    try {
      prepareRunDir(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(OutputError);
    expect((err as Error).message).toBe(`cannot create run directory ${dir}: a part of the path is a file, not a directory`);
    expect(() => prepareRunDir(path.join(base, 'plain'))).toThrow(/cannot create run directory .*plain: a part of the path is a file/);
  });

  it.skipIf(process.getuid?.() === 0)('reports a directory without write permission', () => {
    const dir = tmp();
    fs.chmodSync(dir, 0o500);
    try {
      expect(() => prepareRunDir(path.join(dir, 'run'))).toThrow(/permission denied/);
    } finally {
      fs.chmodSync(dir, 0o700);
    }
  });
});
