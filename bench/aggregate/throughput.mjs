// Samples/s into the aggregator with 100k live contexts (target ≥ 2 M/s on one core).
// Measures the whole hot path of `Demultiplexer.addSamples`: context resolution (per-array
// tag cache, no per-sample sort) + sampling into the current 10 s bucket. Contexts: 100 names
// × 1000 tag arrays of 5 tags, shared per raw tag string as the parser shares them. Samples
// are pre-built (building them is the parser's cost) and replayed in batches.
// Also reported: CPU time (user + system) per sample, median of the runs.
// Usage: npx tsc -b packages/aggregator && node bench/aggregate/throughput.mjs [runs] [batchSize] [--root DIR]
//   (DIR: another built checkout whose aggregator, core and serializer are measured)
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const rootAt = process.argv.indexOf('--root');
const root = rootAt > 0 ? resolve(process.argv[rootAt + 1]) : fileURLToPath(new URL('../..', import.meta.url));
const load = (pkg) => import(pathToFileURL(resolve(root, 'packages', pkg, 'dist/index.js')).href);
const { configFromObject, silentLogger } = await load('core');
const { FakeSerializer } = await load('serializer');
const { TimeSamplingDemultiplexer } = await load('aggregator');

const runs = Number(process.argv[2] ?? 7);
const batchSize = Number(process.argv[3] ?? 32);
const NAMES = 100;
const TAG_SETS = 1000;
const CONTEXTS = NAMES * TAG_SETS;
const SAMPLES_PER_RUN = 4_000_000;

const tagArrays = Array.from({ length: TAG_SETS }, (_, i) =>
  Object.freeze([`service:svc-${i % 50}`, `env:prod`, `version:1.${i % 7}`, `pod:pod-${i}`, `region:r${i % 5}`]),
);
const names = Array.from({ length: NAMES }, (_, i) => `app.request.metric_${i}`);

function makeSamples(typeOf) {
  const now = Date.now() / 1000;
  const samples = new Array(CONTEXTS);
  for (let c = 0; c < CONTEXTS; c++) {
    // Interleave names and tag sets so consecutive samples hit different contexts.
    const type = typeOf(c);
    samples[c] = {
      name: names[c % NAMES],
      tags: tagArrays[Math.floor(c / NAMES)],
      host: 'bench-host',
      type,
      value: (c % 1000) + 0.5,
      setValue: type === 'set' ? `member-${c % 13}` : undefined,
      sampleRate: 1,
      timestamp: now,
    };
  }
  // Shuffle deterministically: real traffic does not walk contexts in order.
  let seed = 42;
  for (let i = samples.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    const j = seed % (i + 1);
    [samples[i], samples[j]] = [samples[j], samples[i]];
  }
  return samples;
}

function batchesOf(samples) {
  const out = [];
  for (let i = 0; i < samples.length; i += batchSize) out.push(samples.slice(i, i + batchSize));
  return out;
}

const MIXES = {
  counter: () => 'counter',
  gauge: () => 'gauge',
  histogram: () => 'histogram',
  distribution: () => 'distribution',
  // Roughly the regression detector's weights: count 208 / gauge 66 / distribution 72 / set 9 / histogram 1.
  mix: (c) => {
    const r = c % 356;
    return r < 208 ? 'counter' : r < 274 ? 'gauge' : r < 346 ? 'distribution' : r < 355 ? 'set' : 'histogram';
  },
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`# aggregate/throughput: ${CONTEXTS} contexts, batches of ${batchSize}, ${runs} runs of ${SAMPLES_PER_RUN / 1e6} M samples, median`);
for (const [label, typeOf] of Object.entries(MIXES)) {
  const batches = batchesOf(makeSamples(typeOf));
  const rates = [];
  const cpuNs = [];
  for (let r = 0; r < runs; r++) {
    const demux = new TimeSamplingDemultiplexer(configFromObject({}), silentLogger, new FakeSerializer());
    for (const b of batches) demux.addSamples(b); // create the 100k contexts (not timed)
    if (demux.telemetry().contexts !== CONTEXTS) throw new Error('contexts not created');
    let done = 0;
    const t0 = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    while (done < SAMPLES_PER_RUN) {
      for (const b of batches) demux.addSamples(b);
      done += CONTEXTS;
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    rates.push(done / seconds);
    // CPU time (user + system, this process) per sample: less sensitive than wall time to a loaded machine.
    cpuNs.push(((cpu.user + cpu.system) * 1000) / done);
  }
  console.log(`${label.padEnd(13)} ${(median(rates) / 1e6).toFixed(2)} M samples/s  (min ${(Math.min(...rates) / 1e6).toFixed(2)}, max ${(Math.max(...rates) / 1e6).toFixed(2)}); CPU ${median(cpuNs).toFixed(0)} ns/sample`);
}
