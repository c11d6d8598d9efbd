import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSink, prepareRunDir } from '../../src/feeds/sink.js';
import { ManifestMismatch, buildManifest, describeFile, verifyRunDir, writeManifest, toolInfo } from '../../src/feeds/manifest.js';

const dirs: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'feeds-manifest-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

const SOURCE_TEXT = 'name: tiny\nseed: 42\n';

async function run(dir: string, scenarioPath: string) {
  prepareRunDir(dir);
  const sink = new FileSink(dir);
  const ast = sink.open('feeds/dsp-ast.jsonl', 'jsonl');
  ast.write('{"alertId":"DA-1"}');
  ast.write('{"alertId":"DA-2"}');
  sink.open('ground-truth.jsonl', 'jsonl').write('{"alertId":"DA-1"}');
  sink.open('feeds/alert-throughput-15min.csv', 'csv').write('windowStart');
  await sink.close();
  const scenario = { name: 'tiny', source: scenarioPath, seed: 42, epoch: Date.UTC(2026, 0, 15), duration: 3_600_000 };
  const sourceText = fs.existsSync(scenarioPath) ? fs.readFileSync(scenarioPath) : undefined;
  return { sink, scenario, manifest: await writeManifest(dir, { scenario, sourceText, files: sink.written() }) };
}

describe('writeManifest', () => {
  it('records tool, scenario, seed, epoch, duration and every file, keys in a fixed order', async () => {
    const base = tmp();
    const src = path.join(base, 'tiny.yaml');
    fs.writeFileSync(src, SOURCE_TEXT);
    const dir = path.join(base, 'run');
    const { manifest } = await run(dir, src);
    const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const text = fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8');
    expect(JSON.parse(text)).toEqual(manifest);
    expect(Object.keys(manifest)).toEqual(['tool', 'scenario', 'seed', 'epoch', 'durationMs', 'files']);
    expect(manifest.tool).toEqual({ name: pkg.name, version: pkg.version });
    expect(toolInfo().version).toBe(pkg.version);
    expect(manifest.scenario).toEqual({ name: 'tiny', source: src, sha256: sha(SOURCE_TEXT) });
    expect(manifest.seed).toBe(42);
    expect(manifest.epoch).toBe('2026-01-15T00:00:00.000Z');
    expect(manifest.durationMs).toBe(3_600_000);
    const astText = '{"alertId":"DA-1"}\n{"alertId":"DA-2"}\n';
    expect(manifest.files.map((f) => f.path)).toEqual(['feeds/alert-throughput-15min.csv', 'feeds/dsp-ast.jsonl', 'ground-truth.jsonl']);
    expect(manifest.files[1]).toEqual({ path: 'feeds/dsp-ast.jsonl', records: 2, bytes: astText.length, sha256: sha(astText) });
    expect(Object.keys(manifest.files[0])).toEqual(['path', 'records', 'bytes', 'sha256']);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('is identical for two runs of the same scenario and seed', async () => {
    const base = tmp();
    const src = path.join(base, 'tiny.yaml');
    fs.writeFileSync(src, SOURCE_TEXT);
    await run(path.join(base, 'r1'), src);
    await new Promise((r) => setTimeout(r, 5));
    await run(path.join(base, 'r2'), src);
    expect(fs.readFileSync(path.join(base, 'r2', 'manifest.json'), 'utf8')).toBe(fs.readFileSync(path.join(base, 'r1', 'manifest.json'), 'utf8'));
  });

  it('reading files back from their paths gives the same entries as the sink', async () => {
    const base = tmp();
    const dir = path.join(base, 'run');
    const { sink, scenario, manifest } = await run(dir, path.join(base, 'missing.yaml'));
    const fromPaths = buildManifest(dir, { scenario, files: sink.written().map((f) => f.path) });
    expect(fromPaths).toEqual(manifest);
    // no scenario text available: the hash is null; given text: its hash
    expect(manifest.scenario.sha256).toBeNull();
    expect(buildManifest(dir, { scenario, sourceText: 'x', files: [] }).scenario.sha256).toBe(sha('x'));
    expect(describeFile(dir, 'feeds/dsp-ast.jsonl').records).toBe(2);
    expect(() => describeFile(dir, 'feeds/nope.jsonl')).toThrow(/cannot read .*nope\.jsonl for the manifest/);
  });

  it('hashes the scenario text it is given and never reads the file again', () => {
    const base = tmp();
    const src = path.join(base, 'tiny.yaml');
    fs.writeFileSync(src, 'seed: 2\n'); // the file as it is now, not as the run read it
    const scenario = { name: 'tiny', source: src, seed: 1, epoch: 0, duration: 1 };
    expect(buildManifest(base, { scenario, sourceText: SOURCE_TEXT, files: [] }).scenario.sha256).toBe(sha(SOURCE_TEXT));
    expect(buildManifest(base, { scenario, files: [] }).scenario.sha256).toBeNull();
  });
});

describe('verifyRunDir', () => {
  async function whole(): Promise<string> {
    const dir = path.join(tmp(), 'run');
    await run(dir, path.join(dir, 'missing.yaml'));
    return dir;
  }
  const refusal = (dir: string, allowed: string[] = []): string => {
    try {
      verifyRunDir(dir, allowed);
    } catch (e) {
      expect(e).toBeInstanceOf(ManifestMismatch);
      return (e as Error).message;
    }
    return 'accepted';
  };
  const editManifest = (dir: string, edit: (m: any) => void) => {
    const p = path.join(dir, 'manifest.json');
    const m = JSON.parse(fs.readFileSync(p, 'utf8'));
    edit(m);
    fs.writeFileSync(p, JSON.stringify(m));
  };

  it('accepts a whole run and the files it is told to allow', async () => {
    const dir = await whole();
    expect(verifyRunDir(dir).files).toHaveLength(3);
    fs.writeFileSync(path.join(dir, 'report.md'), '# report');
    expect(refusal(dir)).toBe(`${path.join(dir, 'report.md')}: not listed in manifest.json, so not part of this run`);
    expect(refusal(dir, ['report.md'])).toBe('accepted');
  });

  it('names the first mismatch: size, content, record count, a missing or stray file', async () => {
    const dir = await whole();
    const ast = path.join(dir, 'feeds/dsp-ast.jsonl');
    fs.writeFileSync(ast, '{"alertId":"DA-1"}\n{"alertId":"DA-3"}\n');
    expect(refusal(dir)).toBe(`${ast}: SHA-256 differs from manifest.json (changed since the run)`);
    fs.writeFileSync(ast, '{"alertId":"DA-1"}\n');
    expect(refusal(dir)).toMatch(/dsp-ast\.jsonl: 19 bytes, manifest\.json says 38$/);
    fs.writeFileSync(ast, '{"alertId":"DA-1"}\n{"alertId":"DA-2"}\n');
    editManifest(dir, (m) => (m.files[1].records = 3));
    expect(refusal(dir)).toBe(`${ast}: 2 records, manifest.json says 3`);
    fs.rmSync(ast);
    expect(refusal(dir)).toBe(`${ast}: listed in manifest.json but missing`);
  });

  it('refuses a missing or malformed manifest, naming the field', async () => {
    const dir = await whole();
    editManifest(dir, (m) => (m.files[0].sha256 = 'abc'));
    expect(refusal(dir)).toBe(`${path.join(dir, 'manifest.json')}: files[0].sha256: must be 64 lower-case hex digits`);
    editManifest(dir, (m) => (m.files[0].path = '../elsewhere'));
    expect(refusal(dir)).toMatch(/files\[0\]\.path: feed path "\.\.\/elsewhere" is not a relative path inside the run directory/);
    fs.writeFileSync(path.join(dir, 'manifest.json'), '{"files": [');
    expect(refusal(dir)).toMatch(/manifest\.json: not valid JSON/);
    fs.rmSync(path.join(dir, 'manifest.json'));
    expect(refusal(dir)).toMatch(/: no manifest\.json, so not a run directory this tool wrote/);
  });
});
