/**
 * `dcc-twin serve` on the command line: 127.0.0.1 unless --host names another
 * address, which is warned about; a source that is neither a scenario file
 * nor a log is refused with one line and exit 2.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { serving } from '../support/server.js';

const CLI = path.resolve('dist/src/cli/main.js');

const serveOnce = (args: string[]) => serving(CLI, args);

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
