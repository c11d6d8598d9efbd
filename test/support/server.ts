/**
 * The live server's tests talk to it the same way: JSON over its REST
 * routes, and polling until a run reaches a state.
 */
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
