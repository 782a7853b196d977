// Whole-process RSS with 100k live contexts of 5 tags each (target ≤ 160 MB). Each run is a
// fresh child process: it imports the aggregator, creates 100k contexts (10 names × 10k
// distinct tag arrays of 5 tags, one tag unique per array, as a parser's per-raw-string cache
// would hold them), samples each context 10 times into the current bucket, forces a GC and
// reads process.memoryUsage().rss. Medians over runs; also reported: heapUsed, and the RSS of
// the same process before any context exists (Node + modules).
// Usage: npx tsc -b packages/aggregator && [NAMES=10|1] node bench/aggregate/memory.mjs [runs]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CONTEXTS = 100_000;
// Names per tag array: 10 (10k tag sets shared by 10 names) or 1 (100k distinct tag sets).
const NAMES = Number(process.env.NAMES ?? 10);

if (process.argv[2] === '--child') {
  const { configFromObject, silentLogger } = await import('@agentkit/core');
  const { FakeSerializer } = await import('@agentkit/serializer');
  const { TimeSamplingDemultiplexer } = await import('@agentkit/aggregator');
  const kind = process.argv[3];
  global.gc();
  const baseline = process.memoryUsage().rss;
  const demux = new TimeSamplingDemultiplexer(configFromObject({}), silentLogger, new FakeSerializer());
  const names = Array.from({ length: NAMES }, (_, i) => `app.request.metric_${i}`);
  const tagArrays = [];
  for (let i = 0; i < CONTEXTS / NAMES; i++) {
    tagArrays.push(Object.freeze([`service:svc-${i % 50}`, 'env:prod', `version:1.${i % 7}`, `pod:pod-${i}`, `region:r${i % 5}`]));
  }
  const types = ['counter', 'gauge', 'distribution', 'counter', 'histogram', 'counter', 'gauge', 'distribution', 'set', 'counter'];
  const now = Date.now() / 1000;
  for (let round = 0; round < 10; round++) {
    let batch = [];
    for (let c = 0; c < CONTEXTS; c++) {
      const type = kind === 'counter' ? 'counter' : types[c % 10];
      batch.push({ name: names[c % NAMES], tags: tagArrays[Math.floor(c / NAMES)], host: 'bench-host', type, value: c + round, setValue: type === 'set' ? `m${round}` : undefined, sampleRate: 1, timestamp: now });
      if (batch.length === 32) {
        demux.addSamples(batch);
        batch = [];
      }
    }
    demux.addSamples(batch);
  }
  if (demux.telemetry().contexts !== CONTEXTS) throw new Error(`contexts: ${demux.telemetry().contexts}`);
  global.gc();
  const { rss, heapUsed } = process.memoryUsage();
  process.stdout.write(JSON.stringify({ baseline, rss, heapUsed, tagArrays: tagArrays.length, contexts: demux.telemetry().contexts }));
  process.exit(0);
}

const runs = Number(process.argv[2] ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);
console.log(`# aggregate/memory: ${CONTEXTS} contexts × 5 tags (${NAMES} name(s) per tag set), 10 samples each, ${runs} child processes, median (MiB)`);
for (const kind of ['counter', 'mix']) {
  const results = [];
  for (let r = 0; r < runs; r++) {
    const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', kind], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(child.stderr);
    results.push(JSON.parse(child.stdout));
  }
  const per = median(results.map((x) => (x.heapUsed) / CONTEXTS));
  console.log(
    `${kind.padEnd(8)} rss ${mb(median(results.map((x) => x.rss)))} MiB  (before contexts ${mb(median(results.map((x) => x.baseline)))})  heapUsed ${mb(median(results.map((x) => x.heapUsed)))} MiB  (~${per.toFixed(0)} B/context incl. tag strings)`,
  );
}
