/**
 * The clients of bench/serve.ts, in a process of their own so that the
 * server's memory is measured alone: `node dist/bench/serve-clients.js
 * <ws url> <kind>=<count> ...`, kinds `all` (every feed's records), `ast`
 * (dsp-ast.jsonl), `none` (the dashboard's stream) and `stalled` (connects,
 * then never reads). Prints one JSON line of what they received once every
 * reading client has the run's final metrics.
 */
import WebSocket from 'ws';
import type { Socket } from 'node:net';

const [url, ...specs] = process.argv.slice(2);
const QUERY: Record<string, string> = { all: 'all', ast: 'dsp-ast.jsonl', none: 'none', stalled: 'all' };

interface Tally {
  kind: string;
  records: number;
  messages: number;
  droppedRecords: number;
  droppedWindows: number;
  droppedSnapshots: number;
  final: boolean;
}

const tallies: Tally[] = [];
const sockets: WebSocket[] = [];
const opened: Array<Promise<void>> = [];
for (const spec of specs) {
  const [kind, n] = spec.split('=');
  for (let i = 0; i < Number(n); i++) {
    const t: Tally = { kind, records: 0, messages: 0, droppedRecords: 0, droppedWindows: 0, droppedSnapshots: 0, final: false };
    tallies.push(t);
    const ws = new WebSocket(`${url}?records=${QUERY[kind]}`);
    sockets.push(ws);
    opened.push(new Promise((r) => ws.once('open', () => r())));
    if (kind === 'stalled') {
      ws.once('open', () => (ws as unknown as { _socket: Socket })._socket.pause());
      continue;
    }
    ws.on('message', (d) => {
      t.messages++;
      const s = String(d);
      // Only the small messages are parsed whole; a records message is counted by its type and length.
      if (s.startsWith('{"type":"records"')) {
        const m = JSON.parse(s) as { records?: unknown[]; lines?: unknown[] };
        t.records += (m.records ?? m.lines)!.length;
        return;
      }
      const m = JSON.parse(s) as { type: string; records: number; windows: number; snapshots: number; metrics?: { final: boolean } };
      if (m.type === 'dropped') {
        t.droppedRecords += m.records;
        t.droppedWindows += m.windows;
        t.droppedSnapshots += m.snapshots;
      } else if (m.type === 'metrics' && m.metrics!.final) {
        t.final = true;
        if (tallies.every((x) => x.final || x.kind === 'stalled')) {
          process.stdout.write(JSON.stringify(tallies) + '\n');
          for (const w of sockets) w.terminate();
          process.exit(0);
        }
      }
    });
  }
}
await Promise.all(opened);
process.stdout.write('ready\n');
