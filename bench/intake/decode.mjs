// bench/intake/decode: what the local intake costs to take one flush of bench/memory's workload
// (100k contexts, each its own 5-tag set, ¼ c/g/d/h: 175k series, 25k sketches), in memory and
// CPU, for the intake of this checkout or of another (--root, a built checkout: for a
// before/after in one session). The payloads are made once by this checkout's real serializer
// (zlib, as `agentkit run` sends them) and POSTed over real HTTP on loopback to a real intake
// (startLocalIntake, its defaults: 5 000 contexts kept, the rest decoded and counted), at most
// --concurrency at once, --flushes times. In this process, every 5 ms: RSS, heap used and
// ArrayBuffers; reported: their highest rise over the level before the first POST (GC settled),
// and the process CPU (user + system) from the first POST to the last answer (the client's
// share included, the same for both intakes).
// Usage: npm run build && node --expose-gc bench/intake/decode.mjs [--root /work/main]
//          [--contexts 100000] [--flushes 2] [--concurrency 4] [--json]
import { Agent, request } from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { bundle, createApp, provide } from '@agentkit/core';
import { commonConfigKeys, loadConfig } from '@agentkit/config';
import { ENDPOINT_PATHS, FORWARDER } from '@agentkit/forwarder';
import { SERIALIZER, serializerBundle, serializerConfigKeys } from '@agentkit/serializer';

const { values } = parseArgs({
  options: {
    root: { type: 'string', default: resolve(import.meta.dirname, '../..') },
    contexts: { type: 'string', default: '100000' },
    flushes: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '4' },
    json: { type: 'boolean', default: false },
  },
});
const CONTEXTS = Number(values.contexts);
const FLUSHES = Number(values.flushes);
const CONCURRENCY = Number(values.concurrency);
const TS = 1_700_000_000;
const MB = 1e6;
if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');

/** bench/memory's contexts as the aggregator flushes them: histograms as their 5 series, distributions as sketches. */
function workload() {
  const series = [];
  const sketches = [];
  for (let i = 0; i < CONTEXTS; i++) {
    const tags = ['a', 'b', 'c', 'd', 'e'].map((k) => `${k}:${i}`);
    const base = { host: 'bench-host', tags, interval: 10, points: [{ timestamp: TS, value: i }] };
    switch (i % 4) {
      case 0:
        series.push({ ...base, name: `m.c.${i % 100}`, type: 'count' });
        break;
      case 1:
        series.push({ ...base, name: `m.g.${i % 100}`, type: 'gauge' });
        break;
      case 2:
        for (const agg of ['max', 'median', 'avg', 'count', '95percentile']) series.push({ ...base, name: `m.h.${i % 100}.${agg}`, type: 'gauge' });
        break;
      default: {
        const k = Int32Array.from([1338, 1340]);
        const n = Uint32Array.from([1, 1]);
        sketches.push({ name: `m.d.${i % 100}`, host: 'bench-host', tags, interval: 10, points: [{ ts: TS, cnt: 2, min: 1, max: 2, avg: 1.5, sum: 3, k, n }] });
      }
    }
  }
  return { series, sketches };
}

async function makePayloads() {
  const payloads = [];
  const forwarder = { submit: (p) => payloads.push(p) };
  const config = loadConfig({ keys: [...commonConfigKeys, ...serializerConfigKeys], env: { DD_HOSTNAME: 'bench-host', DD_LOG_LEVEL: 'warn' } });
  const app = createApp([bundle('forwarder', [provide(FORWARDER, { useValue: forwarder })]), serializerBundle], { config });
  await app.start();
  const { series, sketches } = workload();
  await Promise.all([app.get(SERIALIZER).sendSeries(series), app.get(SERIALIZER).sendSketches(sketches)]);
  await app.stop();
  return payloads.map((p) => ({ path: ENDPOINT_PATHS[p.endpoint], body: p.body, headers: { ...p.headers, 'DD-API-KEY': 'bench' } }));
}

function post(agent, url, p) {
  return new Promise((done, fail) => {
    const req = request(`${url}${p.path}`, { method: 'POST', agent, headers: { ...p.headers, 'Content-Length': p.body.length } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 202 ? done() : fail(new Error(`${p.path}: ${res.statusCode}`))));
    });
    req.on('error', fail);
    req.end(p.body);
  });
}

const payloads = await makePayloads();
const { startLocalIntake } = await import(pathToFileURL(resolve(values.root, 'packages/intake/dist/index.js')).href);
const intake = await startLocalIntake({ port: 0 });
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
for (let i = 0; i < 3; i++) globalThis.gc();
const before = process.memoryUsage();
const peak = { rss: 0, heapUsed: 0, arrayBuffers: 0 };
const sample = () => {
  const m = process.memoryUsage();
  for (const k of Object.keys(peak)) peak[k] = Math.max(peak[k], m[k] - before[k]);
};
const timer = setInterval(sample, 5);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let f = 0; f < FLUSHES; f++) {
  let next = 0;
  const worker = async () => {
    while (next < payloads.length) await post(agent, intake.url, payloads[next++]);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}
const cpu = process.cpuUsage(cpu0);
const wallMs = performance.now() - t0;
sample();
clearInterval(timer);
const stats = intake.stats();
agent.destroy();
await intake.onStop();
const inflated = payloads.reduce((n, p) => n + p.body.length, 0);
const result = {
  root: values.root,
  payloads: payloads.length,
  compressedMB: +(inflated / MB).toFixed(2),
  items: stats.items,
  cpuMs: Math.round((cpu.user + cpu.system) / 1000),
  wallMs: Math.round(wallMs),
  peakRiseMB: { rss: +(peak.rss / MB).toFixed(1), heapUsed: +(peak.heapUsed / MB).toFixed(1), arrayBuffers: +(peak.arrayBuffers / MB).toFixed(1) },
};
if (values.json) console.log(JSON.stringify(result));
else
  console.log(
    `${values.root}: ${result.payloads} payloads (${result.compressedMB} MB compressed) × ${FLUSHES}, items ${JSON.stringify(stats.items)}; ` +
      `CPU ${result.cpuMs} ms (wall ${result.wallMs} ms); peak rise RSS +${result.peakRiseMB.rss} MB, heap +${result.peakRiseMB.heapUsed} MB, ArrayBuffers +${result.peakRiseMB.arrayBuffers} MB`,
  );
