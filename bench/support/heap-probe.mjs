// Where a process's memory is at its peak: `node --import ./bench/support/heap-probe.mjs …`
// (bench/memory/memory.mjs and bench/exec-logs/memory.mjs pass it to the agentkit process with
// --agent-node-flags=--import=<this file>). Every 100 ms it samples process.memoryUsage() and
// V8's heap spaces; at exit it writes the sample taken at the highest RSS to
// $HEAP_PROBE_DIR (default: the OS temp dir)/heap-probe-<pid>.json and names the file on stderr.
// The probe's own cost: one sample object kept, a 100 ms unref'd timer. With HEAP_PROBE_SERIES=1
// it also keeps every sample's RSS, heap used and ArrayBuffers (three numbers per 100 ms) and
// writes them as `series` ([ms, rss, heapUsed, arrayBuffers], MiB): what happened during each flush.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';

const MIB = 1024 * 1024;
let peak;
const series = process.env.HEAP_PROBE_SERIES === '1' ? [] : undefined;

function sample() {
  const usage = process.memoryUsage();
  series?.push([Math.round(process.uptime() * 1000), +(usage.rss / MIB).toFixed(1), +(usage.heapUsed / MIB).toFixed(1), +(usage.arrayBuffers / MIB).toFixed(1)]);
  if (peak !== undefined && usage.rss <= peak.rssMiB * MIB) return;
  const spaces = {};
  for (const space of v8.getHeapSpaceStatistics()) spaces[space.space_name] = +(space.space_size / MIB).toFixed(1);
  peak = {
    atMs: Math.round(process.uptime() * 1000),
    rssMiB: +(usage.rss / MIB).toFixed(1),
    heapUsedMiB: +(usage.heapUsed / MIB).toFixed(1),
    heapTotalMiB: +(usage.heapTotal / MIB).toFixed(1),
    externalMiB: +(usage.external / MIB).toFixed(1),
    arrayBuffersMiB: +(usage.arrayBuffers / MIB).toFixed(1),
    heapSpacesMiB: spaces,
  };
}

setInterval(sample, 100).unref();
process.on('exit', () => {
  sample();
  const file = join(process.env.HEAP_PROBE_DIR ?? tmpdir(), `heap-probe-${process.pid}.json`);
  writeFileSync(file, `${JSON.stringify(series === undefined ? peak : { ...peak, series }, null, 2)}\n`);
  process.stderr.write(`heap-probe: ${file}\n`);
});
