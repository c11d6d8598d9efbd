/**
 * The live server's tests talk to it the same way: JSON over its REST
 * routes, polling until a run reaches a state, and `serve` started from the
 * built CLI and stopped as Ctrl-C stops it.
 */
import { spawn } from 'node:child_process';

export async function request(base: string, method: string, url: string, body?: unknown): Promise<{ status: number; json: any }> {
  const r = await fetch(base + url, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  return { status: r.status, json: await r.json() };
}

/** Polls `what` every 50 ms, for 30 s at most. */
export async function until(what: () => Promise<boolean>, label: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await what()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${label}`);
}

/**
 * Starts `dcc-twin serve --port 0` with the arguments from the built CLI,
 * waits until its stdout has `lines` lines, hands its address to `meanwhile`,
 * then stops it with SIGINT and answers what it printed and its exit code.
 */
export async function serving(
  cli: string,
  args: string[],
  opts: { lines?: number; meanwhile?: (base: string) => Promise<void> } = {},
): Promise<{ stdout: string; stderr: string; code: number | null }> {
  const p = spawn(process.execPath, [cli, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  p.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => p.once('exit', (c) => r(c)));
  try {
    await new Promise<void>((resolve, reject) => {
      p.stdout.on('data', (d) => {
        stdout += d;
        if (stdout.split('\n').length > (opts.lines ?? 1)) resolve();
      });
      exited.then(() => reject(new Error(`serve ended before listening: ${stderr}`)));
    });
    const base = /dashboard at (http:\/\/\S+?)\/ /.exec(stdout)![1];
    await opts.meanwhile?.(base);
  } finally {
    p.kill('SIGINT');
  }
  return { stdout, stderr, code: await exited };
}
