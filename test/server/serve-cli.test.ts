/**
 * `dcc-twin serve` on the command line: 127.0.0.1 unless --host names another
 * address, which is warned about; a source that is neither a scenario file
 * nor a log is refused with one line and exit 2.
 */
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

const CLI = path.resolve('dist/src/cli/main.js');

/** Starts `serve` with the arguments, waits for its first line on stdout, then stops it with SIGINT. */
async function serveOnce(args: string[]): Promise<{ stdout: string; stderr: string; code: number | null }> {
  const p = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  p.stderr.on('data', (d) => (stderr += d));
  await new Promise<void>((resolve, reject) => {
    p.stdout.on('data', (d) => {
      stdout += d;
      if (stdout.includes('\n')) resolve();
    });
    p.once('exit', () => reject(new Error(`serve ended before listening: ${stderr}`)));
  });
  p.kill('SIGINT');
  const code = await new Promise<number | null>((r) => p.once('exit', (c) => r(c)));
  return { stdout, stderr, code };
}

describe('dcc-twin serve', () => {
  it('listens on 127.0.0.1 by default, without a warning', async () => {
    const r = await serveOnce([]);
    expect(r.stdout).toMatch(/^dcc-twin serve: dashboard at http:\/\/127\.0\.0\.1:\d+\//);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('warns when --host names another address', async () => {
    const r = await serveOnce(['--host', '127.0.0.2']);
    expect(r.stdout).toContain('http://127.0.0.2:');
    expect(r.stderr).toMatch(/^warning: listening on 127\.0\.0\.2, not 127\.0\.0\.1: .*no authentication/);
  });

  it('refuses a log that is not there, in one line', () => {
    const r = spawnSync(process.execPath, [CLI, 'serve', 'storm.twinlog'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: storm\.twinlog: no such file/);
  });
});
