// What a line costs, parser and aggregator together, when contexts outnumber the parser's tag
// cache (issue 14 §2). Each run is a fresh child process: a real PacketParser + Batcher into a
// real TimeSamplingDemultiplexer (no flush: nothing but sampling), fed ROUNDS rounds of the
// same CONTEXTS lines, each line its own 5-tag set (a quarter each of counters, gauges,
// distributions and histograms, bench/memory's lines), in 1 432-byte packets. Reported per
// round: CPU ns per line (process.cpuUsage, GC included); after the last round: the live heap
// after a full GC (contexts + the parser's caches) and the child's peak RSS.
// Usage: npm run build, then
//   node bench/parse/high-cardinality.mjs [runs=3] [--root DIR]   (DIR: another built checkout)
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const CONTEXTS = Number(process.env.CONTEXTS ?? 100_000);
const ROUNDS = Number(process.env.ROUNDS ?? 4);
const TYPES = ['c', 'g', 'd', 'h'];

if (process.argv[2] === '--child') {
  const root = process.argv[3];
  const load = (pkg) => import(pathToFileURL(resolve(root, 'packages', pkg, 'dist/index.js')).href);
  const { configFromObject, silentLogger } = await load('core');
  const { FakeSerializer } = await load('serializer');
  const { TimeSamplingDemultiplexer } = await load('aggregator');
  const { Batcher, PacketParser } = await load('dogstatsd');
  const demux = new TimeSamplingDemultiplexer(configFromObject({}), silentLogger, new FakeSerializer());
  const options = { defaultHost: 'bench-host', extraTags: [], readTimestamps: false, originDetectionClient: false, namespace: '', namespaceBlacklist: [], mapper: undefined, nameCacheSize: 4096 };
  const parser = new PacketParser(options, { parseError() {}, unterminated() {} });
  const batcher = new Batcher(demux);
  const packets = [];
  let lines = [];
  let size = 0;
  for (let i = 0; i < CONTEXTS; i++) {
    const type = TYPES[i % 4];
    const line = `m.${type}.${i % 100}:1|${type}|#a:${i},b:${i},c:${i},d:${i},e:${i}`;
    if (size + line.length + 1 > 1432) {
      packets.push(Buffer.from(lines.join('\n')));
      lines = [];
      size = 0;
    }
    lines.push(line);
    size += line.length + 1;
  }
  packets.push(Buffer.from(lines.join('\n')));
  globalThis.gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const nsPerLine = [];
  for (let r = 0; r < ROUNDS; r++) {
    const cpu0 = process.cpuUsage();
    const now = Date.now() / 1000;
    for (const packet of packets) parser.parse(packet, false, now, batcher);
    batcher.flush();
    const cpu = process.cpuUsage(cpu0);
    nsPerLine.push(((cpu.user + cpu.system) * 1000) / CONTEXTS);
  }
  globalThis.gc();
  const live = process.memoryUsage().heapUsed - heapBefore;
  const contexts = demux.telemetry().contexts;
  if (contexts !== CONTEXTS) throw new Error(`contexts: ${contexts} of ${CONTEXTS}`);
  console.log(JSON.stringify({ nsPerLine, liveMB: live / 1e6, maxRssMB: (process.resourceUsage().maxRSS * 1024) / 1e6, cachedTagStrings: parser.cachedTagStrings }));
  process.exit(0);
}

const args = process.argv.slice(2);
const rootAt = args.indexOf('--root');
const root = rootAt === -1 ? resolve(fileURLToPath(import.meta.url), '../../..') : resolve(args[rootAt + 1]);
const runs = Number(args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--root') ?? 3);
const results = [];
for (let r = 0; r < runs; r++) {
  const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', root], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(child.stderr);
  results.push(JSON.parse(child.stdout.trim().split('\n').pop()));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rounds = results[0].nsPerLine.map((_, i) => median(results.map((r) => r.nsPerLine[i])).toFixed(0));
console.log(
  `${root}: ${CONTEXTS} contexts × ${ROUNDS} rounds, ${runs} runs (medians): CPU ns/line per round ${rounds.join(' / ')}; ` +
    `live heap ${median(results.map((r) => r.liveMB)).toFixed(1)} MB; peak RSS ${median(results.map((r) => r.maxRssMB)).toFixed(1)} MB; ` +
    `tag strings cached ${median(results.map((r) => r.cachedTagStrings))}; runs: ${results.map((r) => `[${r.nsPerLine.map((n) => n.toFixed(0)).join(',')}] ${r.liveMB.toFixed(1)}/${r.maxRssMB.toFixed(1)}`).join('; ')}`,
);
