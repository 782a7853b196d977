// Should the demultiplexer sample inside addSamples (synchronously) or queue batches and
// sample them later? Node runs both on the same thread, so a queue can only add work. This
// measures end-to-end samples/s for the same traffic (100k contexts, batches of 32, the event
// loop yielding every 64 batches as a server would between socket reads) two ways:
//   sync   addSamples samples at once (what TimeSamplingDemultiplexer does);
//   queued addSamples pushes the batch into a ring buffer drained by setImmediate (the Go
//          Agent's channel-per-sampler design, minus the second core it relies on).
// Usage: npx tsc -b packages/aggregator && node bench/aggregate/queue-vs-sync.mjs [runs]
import { configFromObject, silentLogger } from '@agentkit/core';
import { FakeSerializer } from '@agentkit/serializer';
import { TimeSamplingDemultiplexer } from '@agentkit/aggregator';

const runs = Number(process.argv[2] ?? 7);
const CONTEXTS = 100_000;
const ROUNDS = 20;
const YIELD_EVERY = 64;

const tagArrays = Array.from({ length: 1000 }, (_, i) => Object.freeze([`service:s${i % 50}`, 'env:prod', `version:1.${i % 7}`, `pod:p${i}`, `region:r${i % 5}`]));
const now = Date.now() / 1000;
const samples = Array.from({ length: CONTEXTS }, (_, c) => ({
  name: `app.metric_${c % 100}`, tags: tagArrays[Math.floor(c / 100)], host: 'h', type: c % 3 === 0 ? 'gauge' : 'counter', value: c, sampleRate: 1, timestamp: now,
}));
const batches = [];
for (let i = 0; i < samples.length; i += 32) batches.push(samples.slice(i, i + 32));

/** A ring buffer of batches drained on the next event-loop turn (no Array#shift). */
class QueuedDemux {
  #ring = new Array(4096);
  #head = 0;
  #tail = 0;
  #scheduled = false;
  #inner;
  constructor(inner) { this.#inner = inner; }
  addSamples(batch) {
    if (this.#tail - this.#head === this.#ring.length) this.#drain(); // full: sample in place
    this.#ring[this.#tail++ & (this.#ring.length - 1)] = batch;
    if (!this.#scheduled) { this.#scheduled = true; setImmediate(() => this.#drain()); }
  }
  #drain() {
    this.#scheduled = false;
    while (this.#head < this.#tail) {
      const i = this.#head++ & (this.#ring.length - 1);
      const batch = this.#ring[i];
      this.#ring[i] = undefined;
      this.#inner.addSamples(batch);
    }
  }
  idle() { return new Promise((resolve) => setImmediate(resolve)); }
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
async function run(queued) {
  const demux = new TimeSamplingDemultiplexer(configFromObject({}), silentLogger, new FakeSerializer());
  for (const b of batches) demux.addSamples(b);
  const target = queued ? new QueuedDemux(demux) : demux;
  let pushed = 0;
  const t0 = performance.now();
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < batches.length; i++) {
      target.addSamples(batches[i]);
      pushed += batches[i].length;
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await turn();
    }
  }
  await turn();
  await turn();
  const seconds = (performance.now() - t0) / 1000;
  const sampled = demux.telemetry().samples - CONTEXTS;
  if (sampled !== pushed) throw new Error(`sampled ${sampled} of ${pushed}`);
  return { rate: pushed / seconds };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`# aggregate/queue-vs-sync: ${CONTEXTS} contexts, ${ROUNDS} rounds, batches of 32, yield every ${YIELD_EVERY} batches, ${runs} runs, median`);
const results = { sync: [], queued: [] };
for (let r = 0; r < runs; r++) {
  for (const mode of ['sync', 'queued']) results[mode].push(await run(mode === 'queued'));
}
for (const [mode, xs] of Object.entries(results)) {
  console.log(`${mode.padEnd(7)} ${(median(xs.map((x) => x.rate)) / 1e6).toFixed(2)} M samples/s`);
}
