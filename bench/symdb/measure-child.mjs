// One measurement in its own process (so peaks do not mix): node measure-child.mjs <mode> <dir>
// mode: stream (the streaming encoder, batches discarded after counting), naive (collect all
// scopes, JSON.stringify, gzip), extract (parse and drop: the parser's own share), process
// (the shipped default: the streaming encoder here, parsing in recycled parser processes).
// Prints one JSON line: peak RSS (getrusage maxrss: this process only) and the largest sampled
// heapUsed; for process, also the parser processes used and the largest RSS one reported.
import { gzipSync } from 'node:zlib';
import { loadParser, ScopeExtractor, uploadDirectory } from '@agentkit/symdb';

const [mode, dir] = process.argv.slice(2);
let peakHeap = 0;
const sample = () => {
  const used = process.memoryUsage().heapUsed;
  if (used > peakHeap) peakHeap = used;
};
const startedAt = performance.now();
let batches = 0;
let gzipBytes = 0;
let scopes;
const excludeDirs = ['node_modules', '.*'];
let parserProcesses;
let parserPeakRssBytes;
// Not loaded for `process`: there, this process never loads the parser.
const parser = mode === 'process' ? undefined : await loadParser('auto');

if (mode === 'process') {
  const summary = await uploadDirectory({
    directory: dir, service: 'bench', version: '1', env: 'bench', excludeDirs,
    sink: { send: async (batch) => { sample(); batches++; gzipBytes += batch.gzipBytes; } },
    onProgress: sample,
  });
  scopes = summary.scopes;
  parserProcesses = summary.parserProcesses;
  parserPeakRssBytes = summary.parserPeakRssBytes;
} else if (mode === 'stream') {
  const summary = await uploadDirectory({
    directory: dir, service: 'bench', version: '1', env: 'bench', parser, excludeDirs,
    sink: { send: async (batch) => { sample(); batches++; gzipBytes += batch.gzipBytes; } },
    onProgress: sample,
  });
  scopes = summary.scopes;
} else {
  const extractor = new ScopeExtractor({ parser, excludeDirs });
  const all = [];
  for await (const file of extractor.extract(dir)) {
    if (mode === 'naive') all.push(file.scope);
    sample();
  }
  scopes = extractor.stats.scopes;
  if (mode === 'naive') {
    const json = JSON.stringify({ service: 'bench', version: '1', env: 'bench', language: 'javascript', upload_id: 'x', batch_num: 1, scopes: all, final: true });
    sample();
    const gz = gzipSync(json);
    sample();
    batches = 1;
    gzipBytes = gz.length;
  }
}
sample();
console.log(JSON.stringify({
  mode, peakRssBytes: process.resourceUsage().maxRSS * 1024, peakHeapBytes: peakHeap,
  durationMs: Math.round(performance.now() - startedAt), scopes, batches, gzipBytes, parserProcesses, parserPeakRssBytes,
}));
