// One measured process for proxy-memory.mjs: a receiver on 127.0.0.1 that either drains each
// request and answers 202 (mode `drain`, the baseline: Node + node:http reading a body) or
// hands it to the debugger proxy, which forwards it to $SINK_URL (mode `proxy`). Prints
// {"port"} once listening; on "report" (stdin) prints RSS figures and exits. RSS is sampled
// every 2 ms; "base" is the RSS after the warm-up upload, "peak" the highest sample after it.
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';

const mode = process.argv[2] ?? 'proxy';
const maxBodyBytes = Number(process.env.MAX_BODY_BYTES ?? 25 * 1024 * 1024);
let handle;
if (mode === 'proxy') {
  const { loadConfig } = await import('@agentkit/config');
  const { silentLogger } = await import('@agentkit/core');
  const { HttpDebuggerProxy, debuggerConfigKeys } = await import('@agentkit/debugger');
  const config = loadConfig({ keys: debuggerConfigKeys, env: { DD_API_KEY: 'bench-key', DD_APM_SYMDB_DD_URL: `${process.env.SINK_URL}/api/v2/debugger`, DD_HOSTNAME: 'bench' } });
  const proxy = new HttpDebuggerProxy(config, silentLogger, { maxBodyBytes });
  handle = (req, res) => void proxy.handle(req, res);
} else {
  handle = (req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(202).end('{}'));
  };
}
const server = createServer(handle);
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));

let base = 0;
let peak = 0;
const sampler = setInterval(() => {
  const rss = process.memoryUsage.rss();
  if (rss > peak) peak = rss;
}, 2);
process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'warm') {
    globalThis.gc?.();
    base = process.memoryUsage.rss();
    peak = base;
    process.stdout.write('{"warm":true}\n');
  } else if (line === 'report') {
    clearInterval(sampler);
    const mib = (n) => Math.round((n / 1048576) * 10) / 10;
    process.stdout.write(`${JSON.stringify({ baseMiB: mib(base), peakMiB: mib(peak), growthMiB: mib(peak - base) })}\n`);
    server.close();
    process.exit(0);
  }
}
