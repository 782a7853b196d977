// Why the server parses on the main thread: what moving work to worker_threads would cost.
// The demultiplexer lives on the main thread, so parsed samples must come back from a parse
// worker through postMessage (structured clone). Measured, per line (20-line packets):
//   1. main thread: parse + enrich + batch (what the server does today);
//   2. structuredClone of MetricSample batches (the price of bringing one sample back);
//   3. a real worker pipeline: packets go to a worker in batches of 64 (copied into one
//      transferred ArrayBuffer), the worker parses and posts sample batches back; the main
//      thread's busy time per line delivered (event-loop utilisation) and the throughput.
// Usage: npx tsc -b packages/dogstatsd && node bench/ingest/worker-model.mjs [seconds=2] [runs=5]
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { Batcher, PacketParser } from '@agentkit/dogstatsd';
import { benchParserOptions, LINES_PER_PACKET, makePackets } from './packets.mjs';

const seconds = Number(process.argv[2] ?? 2);
const runs = Number(process.argv[3] ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const OPTIONS = await benchParserOptions();
const PACKETS_MODULE = new URL('./packets.mjs', import.meta.url).href;
const packets = makePackets();

function mainThreadNsPerLine() {
  const collected = [];
  const demux = { addSamples: (b) => collected.push(b), addTimestampedSamples() {}, addEvents() {}, addServiceChecks() {} };
  const parser = new PacketParser(OPTIONS, { parseError() {}, unterminated() {} });
  const batcher = new Batcher(demux);
  let lines = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    for (const packet of packets) parser.parse(packet, false, 1, batcher);
    batcher.flush();
    lines += packets.length * LINES_PER_PACKET;
    collected.length = 0;
  }
  return ((performance.now() - start) * 1e6) / lines;
}

function cloneNsPerSample() {
  const batches = [];
  const demux = { addSamples: (b) => batches.push(b), addTimestampedSamples() {}, addEvents() {}, addServiceChecks() {} };
  const parser = new PacketParser(OPTIONS, { parseError() {}, unterminated() {} });
  const batcher = new Batcher(demux);
  for (const packet of packets) parser.parse(packet, false, 1, batcher);
  batcher.flush();
  let samples = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    for (const batch of batches) {
      structuredClone(batch);
      samples += batch.length;
    }
  }
  return ((performance.now() - start) * 1e6) / samples;
}

const WORKER = `
  const { parentPort } = require('node:worker_threads');
  Promise.all([import('@agentkit/dogstatsd'), import('${PACKETS_MODULE}')]).then(async ([{ Batcher, PacketParser }, { benchParserOptions }]) => {
    const demux = {
      addSamples: (batch) => parentPort.postMessage(batch),
      addTimestampedSamples: (batch) => parentPort.postMessage(batch),
      addEvents() {}, addServiceChecks() {},
    };
    const parser = new PacketParser(await benchParserOptions(), { parseError() {}, unterminated() {} });
    const batcher = new Batcher(demux);
    parentPort.on('message', ({ buffer, ends }) => {
      const bytes = Buffer.from(buffer);
      let start = 0;
      for (const end of ends) { parser.parse(bytes.subarray(start, end), false, 1, batcher); start = end; }
      batcher.flush();
    });
    parentPort.postMessage('ready');
  });`;

async function workerPipeline() {
  const worker = new Worker(WORKER, { eval: true });
  await new Promise((resolve) => worker.once('message', resolve));
  // Pre-packed batches of 64 packets: one ArrayBuffer each, transferred (the listener would pay this copy).
  const batches = [];
  for (let i = 0; i < packets.length; i += 64) {
    const group = packets.slice(i, i + 64);
    const ends = [];
    let total = 0;
    for (const p of group) ends.push((total += p.length));
    batches.push({ bytes: Buffer.concat(group), ends });
  }
  let received = 0;
  let inFlight = 0;
  worker.on('message', (batch) => {
    received += batch.length;
    inFlight -= batch.length;
  });
  const elu0 = performance.eventLoopUtilization();
  const start = performance.now();
  let next = 0;
  await new Promise((resolve) => {
    const pump = () => {
      if (performance.now() - start >= seconds * 1000) return resolve();
      // Keep the worker busy but bounded (about 16 batches of 1 280 lines in flight).
      while (inFlight < 16 * 64 * LINES_PER_PACKET) {
        const { bytes, ends } = batches[next++ % batches.length];
        const copy = new Uint8Array(bytes).buffer; // the copy a listener would make into a transferable buffer
        worker.postMessage({ buffer: copy, ends }, [copy]);
        inFlight += ends.length * LINES_PER_PACKET;
      }
      setImmediate(pump);
    };
    pump();
  });
  const elapsed = performance.now() - start;
  const elu = performance.eventLoopUtilization(elu0);
  await worker.terminate();
  return { linesPerSecond: received / (elapsed / 1000), mainBusyNsPerLine: (elu.active * 1e6) / received };
}

const main = [];
const clone = [];
const pipeline = [];
for (let r = 0; r < runs; r++) {
  main.push(mainThreadNsPerLine());
  clone.push(cloneNsPerSample());
  pipeline.push(await workerPipeline());
}
console.log(`# worker model, median of ${runs} runs of ${seconds}s, node ${process.version}`);
console.log(`main thread parse + enrich + batch: ${median(main).toFixed(0)} ns/line (${(1000 / median(main)).toFixed(2)} M lines/s on one core)`);
console.log(`structuredClone of sample batches: ${median(clone).toFixed(0)} ns/sample (one direction, clone only)`);
console.log(
  `worker pipeline: ${(median(pipeline.map((p) => p.linesPerSecond)) / 1e6).toFixed(2)} M lines/s delivered; ` +
    `main thread busy ${median(pipeline.map((p) => p.mainBusyNsPerLine)).toFixed(0)} ns per line delivered (receiving clones, posting packets)`,
);
