/**
 * The README's command examples, run as written, so the README cannot drift
 * from the command line. Every `npx dcc-twin ...` line of its ```sh blocks
 * runs through a shell, in order (the `report` example reads the run the
 * first example writes), in a temporary directory laid out as a clone: the
 * package.json's name and bin, dist/ (linked to the build) and a copy of
 * scenarios/, so npx finds the CLI as it does after `npm ci`.
 *
 * Two changes keep the test fast and inside its temporary directory, and
 * only these: the copy of storm-1m.yaml has a 2,000-hub estate instead of
 * 1,250,000 (the full storm is the benchmark, `npm run bench -- storm`), and
 * an output path under /tmp/ is moved into the temporary directory.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(root, 'dist/src/cli/main.js');

/** Every `npx dcc-twin` line of the README's sh blocks, in order. */
function readmeCommands(): string[] {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const commands: string[] = [];
  for (const block of readme.matchAll(/^```sh\n([\s\S]*?)^```$/gm)) {
    for (const line of block[1].split('\n')) if (line.startsWith('npx dcc-twin')) commands.push(line);
  }
  return commands;
}

describe.skipIf(!existsSync(cli))('README command examples (built CLI; run `npm run build` first)', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'dcc-twin-readme-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  cpSync(path.join(root, 'scenarios'), path.join(tmp, 'scenarios'), { recursive: true });
  const storm1m = path.join(tmp, 'scenarios/storm-1m.yaml');
  const text = readFileSync(storm1m, 'utf8');
  if (!/^ {2}hubs: 1250000\b/m.test(text)) throw new Error('scenarios/storm-1m.yaml no longer has `  hubs: 1250000`: update this test');
  writeFileSync(storm1m, text.replace(/^ {2}hubs: 1250000\b/m, '  hubs: 2000'));
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  writeFileSync(path.join(tmp, 'package.json'), JSON.stringify({ name: pkg.name, private: true, type: pkg.type, bin: pkg.bin }));
  symlinkSync(path.join(root, 'dist'), path.join(tmp, 'dist'));

  const commands = readmeCommands();

  it('has examples of run, validate, schema, report and --help', () => {
    for (const sub of ['run', 'validate', 'schema', 'report', '--help']) {
      expect(commands.some((c) => c.startsWith(`npx dcc-twin ${sub}`)), sub).toBe(true);
    }
  });

  it('runs every example with exit code 0', () => {
    for (const command of commands) {
      const line = command.replaceAll('/tmp/', `${tmp}/tmp/`);
      // npm_config_yes=false: npx must find the local bin, never fetch a package.
      const r = spawnSync('sh', ['-c', line], {
        cwd: tmp,
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, npm_config_yes: 'false', npm_config_offline: 'true', npm_config_update_notifier: 'false' },
      });
      expect(r.status, `${command}\n${r.stderr}`).toBe(0);
      expect(r.stderr, command).not.toMatch(/^\s+at /m);
    }
    // What the examples say they write.
    expect(existsSync(path.join(tmp, 'runs/storm-north-area/manifest.json'))).toBe(true);
    expect(existsSync(path.join(tmp, 'runs/storm-north-area/report.md'))).toBe(true);
    expect(existsSync(path.join(tmp, 'tmp/storm/feeds/dsp-ast.jsonl'))).toBe(true);
    expect(readFileSync(path.join(tmp, 'scenario.schema.json'), 'utf8')).toBe(readFileSync(path.join(root, 'scenarios/scenario.schema.json'), 'utf8'));
  }, 300_000);
});
