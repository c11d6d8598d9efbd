import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSink, prepareRunDir } from '../../src/feeds/sink.js';
import { buildManifest, describeFile, writeManifest, toolInfo } from '../../src/feeds/manifest.js';

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
  return { sink, scenario, manifest: await writeManifest(dir, { scenario, files: sink.written() }) };
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
});
