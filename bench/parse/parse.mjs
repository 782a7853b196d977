// Parse + enrich throughput on one core: PacketParser (the server's hot path: one latin1
// conversion per packet, indexOf, per-raw-string caches for names and tags) turning 20-line
// packets of typical lines (3 tags, mixed types, repeated contexts) into MetricSample batches
// for a demultiplexer that only counts them. No sockets, no threads.
// Usage: npx tsc -b packages/dogstatsd && node bench/parse/parse.mjs [runs=7] [seconds=2]
// DD_* variables configure the parser as they would the agent (DD_STATSD_METRIC_BLOCKLIST, …).
// Prints the median lines/s and ns/line over `runs` timed runs (after a warm-up run).
import { Batcher, PacketParser } from '@agentkit/dogstatsd';
import { benchParserOptions } from '../ingest/packets.mjs';

const OPTIONS = await benchParserOptions();

const runs = Number(process.argv[2] ?? 7);
const seconds = Number(process.argv[3] ?? 2);
const LINES_PER_PACKET = 20;
const PACKETS = 1024;
const TYPES = ['c', 'g', 'ms', 'h', 'd', 'c', 'g', 'c'];

/** 1 024 packets over 2 000 names x 10 tag sets (the same contexts recur, as in production). */
function makePackets() {
  const packets = [];
  let k = 0;
  for (let p = 0; p < PACKETS; p++) {
    const lines = [];
    for (let l = 0; l < LINES_PER_PACKET; l++, k++) {
      const name = `app.request.metric_${k % 2000}`;
      const type = TYPES[k % TYPES.length];
      const value = type === 'c' ? 1 : ((k * 7919) % 100000) / 100;
      lines.push(`${name}:${value}|${type}|#env:prod,service:api-${k % 5},endpoint:/v1/items/${k % 2}`);
    }
    packets.push(Buffer.from(lines.join('\n')));
  }
  return packets;
}

function makeParser(demux) {
  const reporter = { parseError() {}, unterminated() {} };
  return { parser: new PacketParser(OPTIONS, reporter), batcher: new Batcher(demux) };
}

function run(packets, durationMs) {
  let samples = 0;
  const demux = {
    addSamples: (b) => (samples += b.length),
    addTimestampedSamples: (b) => (samples += b.length),
    addEvents() {},
    addServiceChecks() {},
  };
  const { parser, batcher } = makeParser(demux);
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  let lines = 0;
  let elapsed = 0;
  while (elapsed < durationMs) {
    const now = Date.now() / 1000;
    for (let i = 0; i < packets.length; i++) parser.parse(packets[i], false, now, batcher);
    batcher.flush();
    lines += packets.length * LINES_PER_PACKET;
    elapsed = performance.now() - start;
  }
  // Blocked names (statsd_metric_blocklist) and histogram copies change the count on purpose.
  const expected = lines - parser.blockedSamples + parser.distributionCopies;
  if (samples !== expected) throw new Error(`lost samples: ${samples} of ${expected}`);
  const cpu = process.cpuUsage(cpu0);
  // Lines per CPU-second too: on a shared machine the wall rate includes time the scheduler
  // gave to others; on a quiet one both agree.
  return { wall: lines / (elapsed / 1000), cpu: lines / ((cpu.user + cpu.system) / 1e6) };
}

const packets = makePackets();
// PARSE_ITERATIONS=N: parse the packets exactly N times and exit, for instruction counting
// (bench/parse/instructions.mjs runs it under callgrind: deterministic on a noisy machine).
const fixedIterations = Number(process.env.PARSE_ITERATIONS ?? 0);
if (fixedIterations > 0) {
  const demux = { addSamples() {}, addTimestampedSamples() {}, addEvents() {}, addServiceChecks() {} };
  const { parser, batcher } = makeParser(demux);
  for (let n = 0; n < fixedIterations; n++) {
    for (let i = 0; i < packets.length; i++) parser.parse(packets[i], false, 1_700_000_000, batcher);
    batcher.flush();
  }
  process.exit(0);
}
run(packets, 1000); // warm-up: JIT and caches
const results = [];
for (let r = 0; r < runs; r++) results.push(run(packets, seconds * 1000));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const wall = median(results.map((r) => r.wall));
const cpu = median(results.map((r) => r.cpu));
const walls = results.map((r) => r.wall).sort((a, b) => a - b);
console.log(
  `parse+enrich: median ${(wall / 1e6).toFixed(2)} M lines/s wall (${(1e9 / wall).toFixed(0)} ns/line; ` +
    `min ${(walls[0] / 1e6).toFixed(2)}, max ${(walls[walls.length - 1] / 1e6).toFixed(2)}), ` +
    `${(cpu / 1e6).toFixed(2)} M lines per CPU-second (${(1e9 / cpu).toFixed(0)} ns), ${runs} runs of ${seconds}s, node ${process.version}`,
);
