// Bytes per context held by the aggregator, in process. Each run is a fresh child process: it
// builds a TimeSamplingDemultiplexer, sends 100k contexts (each its own 5-tag set, a quarter
// each of counters, gauges, distributions and histograms, or one type only), one sample each,
// with the tag arrays made as the parser makes them (a frozen array per raw tag string) and not
// kept (the parser's cache has dropped them: contexts outnumber it), then forces a GC and reads
// heapUsed. Reported: (heapUsed after − heapUsed before the contexts) / contexts, median of the
// runs; "kept" keeps every tag array alive (as when the parser's cache still holds them). Also
// the CPU time per sample in addSamples: creating the contexts, then sending them all again
// through new arrays (as when the parser's cache misses): the resolver's slow path.
// Usage: npm run build (or npx tsc -b packages/aggregator), then
//   node bench/aggregate/context-memory.mjs [runs] [--root DIR]   (DIR: another built checkout)
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const CONTEXTS = Number(process.env.CONTEXTS ?? 100_000);
const TYPES = { mix: ['counter', 'gauge', 'distribution', 'histogram'], counter: ['counter'], gauge: ['gauge'], distribution: ['distribution'], histogram: ['histogram'] };

if (process.argv[2] === '--child') {
  const [, , , root, kind, keep] = process.argv;
  const load = (pkg) => import(pathToFileURL(resolve(root, 'packages', pkg, 'dist/index.js')).href);
  const { configFromObject, silentLogger } = await load('core');
  const { FakeSerializer } = await load('serializer');
  const { TimeSamplingDemultiplexer } = await load('aggregator');
  const demux = new TimeSamplingDemultiplexer(configFromObject({}), silentLogger, new FakeSerializer());
  const types = TYPES[kind];
  const names = types.map((t) => `app.request.${t}_latency`);
  const kept = [];
  // Warm the code paths and the maps' first growth out of the measurement.
  demux.addSamples([{ name: 'warm', tags: Object.freeze(['a:1']), host: 'bench-host', type: 'gauge', value: 1, sampleRate: 1, timestamp: 0 }]);
  global.gc();
  const before = process.memoryUsage().heapUsed;
  const now = Date.now() / 1000;
  // One round: every context once, each sample with a fresh tags array. Returns the CPU time
  // (user + system) per sample spent in addSamples only.
  const round = (keepArrays) => {
    let batch = [];
    let cpuUs = 0;
    for (let c = 0; c < CONTEXTS; c++) {
      // As the parser splits a raw tag string: fresh strings, one frozen array per raw string.
      const raw = `service:svc-${c % 50},env:prod,version:1.${c % 7},pod:pod-${c},region:r${c % 5}`;
      const tags = Object.freeze(raw.split(','));
      if (keepArrays) kept.push(tags);
      const t = c % types.length;
      batch.push({ name: names[t], tags, host: 'bench-host', type: types[t], value: c * 0.5, sampleRate: 1, timestamp: now });
      if (batch.length === 32 || c === CONTEXTS - 1) {
        const cpu0 = process.cpuUsage();
        demux.addSamples(batch);
        const cpu = process.cpuUsage(cpu0);
        cpuUs += cpu.user + cpu.system;
        batch = [];
      }
    }
    return (cpuUs * 1000) / CONTEXTS;
  };
  const createNs = round(keep === 'kept');
  const contexts = demux.telemetry().contexts - 1;
  if (contexts !== CONTEXTS) throw new Error(`contexts: ${contexts}`);
  global.gc();
  global.gc();
  const after = process.memoryUsage().heapUsed;
  // The same contexts again through new arrays (the parser's cache missed): the resolver's slow path.
  const resendNs = round(false);
  process.stdout.write(JSON.stringify({ perContext: (after - before) / CONTEXTS, createNs, resendNs, kept: kept.length }));
  process.exit(0);
}

const args = process.argv.slice(2);
const rootAt = args.indexOf('--root');
const root = rootAt >= 0 ? resolve(args[rootAt + 1]) : resolve(fileURLToPath(new URL('../..', import.meta.url)));
const runs = Number(args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--root') ?? 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`# aggregate/context-memory: ${CONTEXTS} contexts, own 5-tag set each, 1 sample each, ${runs} child processes per row, root ${root}`);
console.log('| workload | tag arrays | bytes per context (median) | runs | CPU ns/sample: creating / again through new arrays (medians) |');
console.log('|---|---|---|---|---|');
for (const kind of ['mix', 'counter', 'gauge', 'distribution', 'histogram']) {
  for (const keep of kind === 'mix' ? ['dropped', 'kept'] : ['dropped']) {
    const results = [];
    for (let r = 0; r < runs; r++) {
      const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', root, kind, keep], { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(child.stderr);
      results.push(JSON.parse(child.stdout));
    }
    const per = results.map((x) => x.perContext);
    const cpu = `${median(results.map((x) => x.createNs)).toFixed(0)} / ${median(results.map((x) => x.resendNs)).toFixed(0)}`;
    console.log(`| ${kind} | ${keep} | ${median(per).toFixed(0)} | ${per.map((x) => x.toFixed(0)).join(', ')} | ${cpu} |`);
  }
}
