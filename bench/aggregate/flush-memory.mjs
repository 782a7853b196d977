// A flush's extra memory: 100k contexts, each with its own 5-tag set, a quarter each of
// counters, gauges, distributions and histograms, sampled into the current bucket; then the
// stop flush (every bucket, the incomplete one too) through the real PayloadSerializer (zlib)
// into a forwarder that only counts what it is handed. Each run is a fresh child process:
// GC settled before the flush (--expose-gc); heap and RSS sampled every millisecond and at
// every payload submitted, until the flush's promise resolves. Reports medians over runs of
// the RSS, heapUsed and external (buffers) before the flush and their peak during it.
// Usage: npx tsc -b && node bench/aggregate/flush-memory.mjs [runs=5] [contexts=100000]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 5);
const contexts = Number(process.argv[3] ?? 100_000);

if (process.argv[2] === '--child') {
  const n = Number(process.argv[3]);
  const { configFromObject, silentLogger } = await import('@agentkit/core');
  const { PayloadSerializer } = await import('@agentkit/serializer');
  const { TimeSamplingDemultiplexer } = await import('@agentkit/aggregator');
  const config = configFromObject({ DD_SERIALIZER_COMPRESSOR_KIND: 'zlib' });
  let peakRss = 0;
  let peakHeap = 0;
  let peakExternal = 0;
  const sample = () => {
    const { rss, heapUsed, external } = process.memoryUsage();
    if (rss > peakRss) peakRss = rss;
    if (heapUsed > peakHeap) peakHeap = heapUsed;
    if (external > peakExternal) peakExternal = external;
  };
  const sent = { payloads: 0, items: 0, bytes: 0 };
  const forwarder = {
    submit(payload) {
      sent.payloads++;
      sent.items += payload.itemCount;
      sent.bytes += payload.body.length;
      sample();
    },
  };
  const serializer = new PayloadSerializer(forwarder, config, silentLogger);
  const demux = new TimeSamplingDemultiplexer(config, silentLogger, serializer);
  const types = ['counter', 'gauge', 'distribution', 'histogram'];
  const now = Date.now() / 1000;
  let batch = [];
  for (let round = 0; round < 3; round++) {
    for (let c = 0; c < n; c++) {
      // Unique tag arrays per context (a fresh array each round, as a parser would hand them).
      const tags = [`service:svc-${c % 50}`, 'env:prod', `version:1.${c % 7}`, `pod:pod-${c}`, `region:r${c % 5}`];
      batch.push({ name: 'app.request.metric', tags, host: 'bench-host', type: types[c % 4], value: c + round, sampleRate: 1, timestamp: now });
      if (batch.length === 32) {
        demux.addSamples(batch);
        batch = [];
      }
    }
  }
  demux.addSamples(batch);
  if (demux.telemetry().contexts !== n) throw new Error(`contexts: ${demux.telemetry().contexts}`);
  global.gc();
  global.gc();
  const before = process.memoryUsage();
  peakRss = before.rss;
  peakHeap = before.heapUsed;
  peakExternal = before.external;
  const timer = setInterval(sample, 1);
  await demux.onStop();
  clearInterval(timer);
  sample();
  process.stdout.write(JSON.stringify({ rss: before.rss, heap: before.heapUsed, external: before.external, peakRss, peakHeap, peakExternal, ...sent }));
  process.exit(0);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = [];
for (let i = 0; i < runs; i++) {
  const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', String(contexts)], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(child.stderr);
  results.push(JSON.parse(child.stdout));
}
const mb = (b) => (b / 1e6).toFixed(1);
const m = (k) => median(results.map((r) => r[k]));
const last = results.at(-1);
console.log(`flush memory, ${contexts} contexts (unique 5-tag sets, mixed types), zlib, ${runs} runs (medians)`);
console.log(`  payloads ${last.payloads}, items ${last.items}, compressed ${mb(last.bytes)} MB`);
console.log(`  RSS    before ${mb(m('rss'))} MB, peak ${mb(m('peakRss'))} MB, +${mb(median(results.map((r) => r.peakRss - r.rss)))} MB`);
console.log(`  heap   before ${mb(m('heap'))} MB, peak ${mb(m('peakHeap'))} MB, +${mb(median(results.map((r) => r.peakHeap - r.heap)))} MB`);
// Buffers (payload bodies, zlib's input and output) live outside the JS heap.
console.log(`  external (buffers) before ${mb(m('external'))} MB, peak ${mb(m('peakExternal'))} MB, +${mb(median(results.map((r) => r.peakExternal - r.external)))} MB`);
