// One measured process for startup.mjs: starts the forwarder bundle, sends one payload to the
// intake at $INTAKE_URL, stops, and prints its timings as one JSON line.
// Modes: lazy (as shipped), eager (node:http and node:https imported before start, as a
// client loading its modules at load would), lazy-idle (as lazy, but the first payload comes 500 ms after start, like a flush).
const mode = process.argv[2] ?? 'lazy';
const t0 = performance.now();
if (mode === 'eager') await Promise.all([import('node:http'), import('node:https')]);
const { createApp } = await import('@agentkit/core');
const { commonConfigKeys, loadConfig } = await import('@agentkit/config');
const { FORWARDER, forwarderBundle, forwarderConfigKeys } = await import('@agentkit/forwarder');
const imported = performance.now();

const config = loadConfig({
  keys: [...commonConfigKeys, ...forwarderConfigKeys],
  env: { DD_DD_URL: process.env.INTAKE_URL ?? '', DD_API_KEY: '' },
});
const app = createApp([forwarderBundle], { config });
const beforeStart = performance.now();
await app.start();
const started = performance.now();

if (mode === 'lazy-idle') await new Promise((resolve) => setTimeout(resolve, 500));
const forwarder = app.get(FORWARDER);
const submitAt = performance.now();
forwarder.submit({ endpoint: 'series_v2', body: Buffer.from('x'), headers: {}, itemCount: 1 });
while ((forwarder.telemetry()['transactions.sent'] ?? 0) < 1) await new Promise((resolve) => setTimeout(resolve, 1));
const sent = performance.now();
await app.stop();

console.log(
  JSON.stringify({
    importMs: imported - t0,
    startMs: started - beforeStart,
    readyMs: started, // since the process's time origin
    firstSendMs: sent - submitAt,
  }),
);
