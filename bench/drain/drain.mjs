// bench/drain: one flush of 100 000 series contexts and 10 000 sketches, serialized,
// compressed and sent by the real forwarder to a local intake (a bare HTTP server in a child
// process), end to end: from the serializer calls until the intake has answered every payload.
// Target ≤ 1 s. Also reports the serializer alone (payloads handed to a no-op forwarder) and
// the longest event-loop stall during the drain. Medians of repeated runs (the first is a
// warm-up and not counted).
//
// Usage: npx tsc -b && node bench/drain/drain.mjs [runs=7] [compressor=zlib|zstd|none] [contexts=100000] [sketches=10000]
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { bundle, createApp, provide } from '@agentkit/core';
import { commonConfigKeys, loadConfig } from '@agentkit/config';
import { FORWARDER, forwarderBundle, forwarderConfigKeys } from '@agentkit/forwarder';
import { SERIALIZER, serializerBundle, serializerConfigKeys } from '@agentkit/serializer';

const runs = Number(process.argv[2] ?? 7);
const compressor = process.argv[3] ?? 'zlib';
const contexts = Number(process.argv[4] ?? 100_000);
const sketchCount = Number(process.argv[5] ?? 10_000);
const TS = 1_700_000_000;

function makeSeries(n) {
  const types = ['gauge', 'count', 'rate'];
  return Array.from({ length: n }, (_, i) => ({
    name: `bench.app.metric_${i % 1000}`,
    points: [{ timestamp: TS, value: i * 0.5 }],
    tags: ['env:prod', `service:svc-${i % 50}`, `version:1.${i % 7}.0`, `shard:${i}`],
    host: 'bench-host-01',
    type: types[i % 3],
    interval: 10,
  }));
}

function makeSketches(n) {
  return Array.from({ length: n }, (_, i) => {
    const bins = 16 + (i % 32);
    const k = Int32Array.from({ length: bins }, (_, j) => 1100 + j * 3 - (i % 5));
    const nn = Uint32Array.from({ length: bins }, (_, j) => 1 + ((i + j) % 9));
    return {
      name: `bench.latency_${i % 200}`,
      host: 'bench-host-01',
      tags: ['env:prod', `endpoint:/api/v${i % 4}/items`, `shard:${i}`],
      interval: 10,
      points: [{ ts: TS, cnt: 100, min: 0.1, max: 250, avg: 12.5, sum: 1250, k, n: nn }],
    };
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Longest gap between timer ticks while `fn` runs: how long the event loop was blocked. */
async function withStallMeter(fn) {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 1);
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  return Math.max(worst, performance.now() - last);
}

async function startSink() {
  const child = fork(fileURLToPath(new URL('./sink-server.mjs', import.meta.url)), { stdio: 'inherit' });
  const [{ port }] = await once(child, 'message');
  let latest = { payloads: 0, bytes: 0 };
  const waiters = [];
  child.on('message', (m) => {
    latest = m;
    for (const w of [...waiters]) w();
  });
  const waitFor = (payloads) =>
    new Promise((resolve) => {
      const check = () => {
        if (latest.payloads < payloads) return;
        waiters.splice(waiters.indexOf(check), 1);
        resolve(latest);
      };
      waiters.push(check);
      check();
    });
  return { url: `http://127.0.0.1:${port}`, waitFor, latest: () => latest, close: () => child.kill() };
}

const series = makeSeries(contexts);
const sketches = makeSketches(sketchCount);
const env = { DD_SERIALIZER_COMPRESSOR_KIND: compressor, DD_HOSTNAME: 'bench-host-01', DD_LOG_LEVEL: 'warn' };

async function benchEndToEnd(sink) {
  const config = loadConfig({
    keys: [...commonConfigKeys, ...serializerConfigKeys, ...forwarderConfigKeys],
    env: { ...env, DD_API_KEY: '0123456789abcdef0123456789abcdef', DD_DD_URL: sink.url, DD_FORWARDER_STOP_WAIT_FOR_INFLIGHT: 'true' },
  });
  const app = createApp([forwarderBundle, serializerBundle], { config });
  await app.start();
  const serializer = app.get(SERIALIZER);
  const totals = [];
  const stalls = [];
  let perRun;
  let coldMs = 0;
  for (let r = 0; r <= runs; r++) {
    const before = sink.latest().payloads;
    const tel0 = app.get(SERIALIZER).telemetry();
    const submitted0 = sumPayloads(tel0);
    const t0 = performance.now();
    const stall = await withStallMeter(async () => {
      await Promise.all([serializer.sendSeries(series), serializer.sendSketches(sketches)]);
      const submitted = sumPayloads(serializer.telemetry()) - submitted0;
      await sink.waitFor(before + submitted);
      perRun = { payloads: submitted, bytes: sink.latest().bytes };
    });
    const ms = performance.now() - t0;
    if (r === 0) coldMs = ms;
    else {
      totals.push(ms);
      stalls.push(stall);
    }
  }
  await app.stop();
  return { total: median(totals), stall: median(stalls), perRun, coldMs };
}

async function benchSerializerOnly() {
  const sinkForwarder = { submitted: 0, submit() { this.submitted += 1; } };
  const config = loadConfig({ keys: [...commonConfigKeys, ...serializerConfigKeys], env });
  const app = createApp([bundle('forwarder', [provide(FORWARDER, { useValue: sinkForwarder })]), serializerBundle], { config });
  await app.start();
  const serializer = app.get(SERIALIZER);
  const seriesMs = [];
  const sketchesMs = [];
  for (let r = 0; r <= runs; r++) {
    let t = performance.now();
    await serializer.sendSeries(series);
    const a = performance.now() - t;
    t = performance.now();
    await serializer.sendSketches(sketches);
    const b = performance.now() - t;
    if (r > 0) {
      seriesMs.push(a);
      sketchesMs.push(b);
    }
  }
  const telemetry = serializer.telemetry();
  await app.stop();
  return { series: median(seriesMs), sketches: median(sketchesMs), telemetry };
}

function sumPayloads(telemetry) {
  return Object.entries(telemetry)
    .filter(([k]) => k.startsWith('payloads.'))
    .reduce((n, [, v]) => n + v, 0);
}

const only = await benchSerializerOnly();
const perRunDivisor = runs + 1;
console.log(
  `serializer only (compressor=${compressor}): ${contexts} series ${only.series.toFixed(1)} ms, ${sketchCount} sketches ${only.sketches.toFixed(1)} ms ` +
    `(median of ${runs}); per flush: ${Math.round((only.telemetry['payloads.series_v2'] ?? 0) / perRunDivisor)} series payloads, ` +
    `${Math.round((only.telemetry['payloads.sketches_v2'] ?? 0) / perRunDivisor)} sketch payloads, ` +
    `${(only.telemetry['bytes.uncompressed'] / perRunDivisor / 1e6).toFixed(1)} MB → ${(only.telemetry['bytes.compressed'] / perRunDivisor / 1e6).toFixed(2)} MB`,
);
const sink = await startSink();
try {
  const e2e = await benchEndToEnd(sink);
  console.log(
    `end to end (serializer + real forwarder + local intake, compressor=${compressor}): ${e2e.total.toFixed(1)} ms ` +
      `(median of ${runs}; target ≤ 1000 ms; first, cold run ${e2e.coldMs.toFixed(1)} ms), ${e2e.perRun.payloads} payloads per flush, ` +
      `longest event-loop stall ${e2e.stall.toFixed(1)} ms (median)`,
  );
} finally {
  sink.close();
}
