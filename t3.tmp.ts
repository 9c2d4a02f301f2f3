import { readFileSync } from 'node:fs';
import { ServerLogReader } from './src/core/zklog/parse';
const text = readFileSync('/tmp/zabviz-bench-logs-40/server1.log', 'utf8');
for (let k = 0; k < 4; k++) {
  const t0 = performance.now();
  const r = new ServerLogReader(1);
  for (let i = 0; i < text.length; i += 1 << 22) r.push(text.slice(i, i + (1 << 22)));
  const log = r.end();
  console.log('reader', (performance.now() - t0).toFixed(0), 'ms', (text.length / 1e6 / ((performance.now() - t0) / 1000)).toFixed(0), 'MB/s', log.events.length);
}
const kinds = new Map<string, number>();
const r = new ServerLogReader(1); r.push(text); for (const e of r.end().events) kinds.set(e.event.kind, (kinds.get(e.event.kind) ?? 0) + 1);
console.log(kinds);
