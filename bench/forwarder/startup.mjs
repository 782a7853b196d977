// Start-up cost of the forwarder with its HTTP modules (node:http, node:https) loaded lazily (as
// shipped: at the first request) and eagerly.
// Each run is a fresh process (module loading is the cost); NODE_EXTRA_CA_CERTS is unset for
// the children (it adds ~145 ms to every Node start on some machines, perf-anchors §6).
// Prints medians of `runs` runs after 2 warm-ups per mode.
// Usage: npx tsc -b packages/forwarder && node bench/forwarder/startup.mjs [runs]
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const runs = Number(process.argv[2] ?? 15);
const child = fileURLToPath(new URL('./startup-child.mjs', import.meta.url));
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(202).end('{}'));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const env = { ...process.env, INTAKE_URL: `http://127.0.0.1:${server.address().port}` };
delete env.NODE_EXTRA_CA_CERTS;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// Children run one at a time, asynchronously: spawnSync would block this process's intake.
function runOnce(mode) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, mode], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`${mode} exited ${code}`))));
  });
}

const bare = [];
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  spawnSync(process.execPath, ['-e', '0'], { env });
  bare.push(performance.now() - t);
}
console.log(`node -e 0 (spawn to exit): ${median(bare).toFixed(1)} ms (median of ${runs})`);
for (const mode of ['lazy', 'eager', 'lazy-idle']) {
  for (let i = 0; i < 2; i++) await runOnce(mode);
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await runOnce(mode));
  const m = (key) => median(results.map((r) => r[key])).toFixed(1);
  console.log(
    `${mode.padEnd(9)} import=${m('importMs')}ms app.start()=${m('startMs')}ms ` +
      `ready(since process start)=${m('readyMs')}ms first send=${m('firstSendMs')}ms (median of ${runs})`,
  );
}
server.close();
