// RSS of the debugger proxy while it forwards one symdb-sized upload (held, 2 MiB) and two far
// above its retry buffer (streamed, 100 and 400 MiB, the size limit raised for the run), against a
// receiver that only drains the body (the baseline), interleaved, each run in a fresh process.
// The sink intake and the sender are this process, so their memory is not counted.
// Usage: npx tsc -b packages/debugger && node bench/debugger/proxy-memory.mjs [runs]
import { spawn } from 'node:child_process';
import { createServer, request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 5);
const child = fileURLToPath(new URL('./proxy-child.mjs', import.meta.url));
const sink = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(202, { 'Content-Type': 'application/json' }).end('{}'));
});
await new Promise((resolve) => sink.listen(0, '127.0.0.1', resolve));
const SINK_URL = `http://127.0.0.1:${sink.address().port}`;
const CHUNK = Buffer.alloc(64 * 1024, 0x61);

function upload(port, bytes) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/symdb/v1/input', method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=b' }, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    let left = bytes;
    const write = () => {
      while (left > 0) {
        const n = Math.min(left, CHUNK.length);
        left -= n;
        if (!req.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) return void req.once('drain', write);
      }
      req.end();
    };
    write();
  });
}

async function measure(mode, bytes) {
  const proc = spawn(process.execPath, ['--expose-gc', child, mode], { env: { ...process.env, SINK_URL, MAX_BODY_BYTES: String(1024 * 1024 * 1024) }, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
  const next = async () => JSON.parse((await lines.next()).value);
  const { port } = await next();
  if ((await upload(port, 64 * 1024)) !== 202) throw new Error(`${mode}: warm-up upload refused`);
  proc.stdin.write('warm\n');
  await next();
  const status = await upload(port, bytes);
  if (status !== 202) throw new Error(`${mode}: upload answered ${status}`);
  proc.stdin.write('report\n');
  return next();
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sizes = [2 * 1024 * 1024, 100 * 1024 * 1024, 400 * 1024 * 1024];
const results = {};
for (let i = 0; i < runs; i++) {
  for (const bytes of sizes) {
    for (const mode of ['drain', 'proxy']) {
      const r = await measure(mode, bytes);
      ((results[`${bytes}`] ??= {})[mode] ??= []).push(r);
    }
  }
}
sink.close();
console.log('| body | receiver | base RSS (MiB) | peak RSS (MiB) | growth (MiB) |');
console.log('|---|---|---|---|---|');
for (const bytes of sizes) {
  for (const mode of ['drain', 'proxy']) {
    const rs = results[`${bytes}`][mode];
    console.log(`| ${bytes / 1048576} MiB | ${mode} | ${median(rs.map((r) => r.baseMiB))} | ${median(rs.map((r) => r.peakMiB))} | ${median(rs.map((r) => r.growthMiB))} |`);
  }
}
