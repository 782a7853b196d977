// The first HTTPS request of a process, as the forwarder's last send under `agentkit exec` makes
// it: the forwarder's HTTP client (createHttpClient, node:https) to a local HTTPS server (a test certificate,
// certificates not checked, TLS 1.2 at least), in a fresh Node per run, with and without a
// throwaway `tls.createSecureContext()` made before it, which is what `Forwarder.prepare` does
// while the program runs (packages/forwarder/src/http-client/tls-warmup.ts). The first secure
// context of a process builds Node's store of root certificates; the next ones reuse it.
// NODE_EXTRA_CA_CERTS is unset for the children: with it Node builds that store at its start.
// Prints, per mode, the medians of the CPU of the throwaway context and of the first request
// (user + system, the request's whole life: connect, handshake, response).
// Usage: npm run build && node bench/cold-start/tls-first-connect.mjs [--runs 11]
import { spawn } from 'node:child_process';
import https from 'node:https';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeTestCertificate } from '../../packages/testing/dist/index.js';
import { childEnv } from '../support/child-env.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '11' }, child: { type: 'string' }, warm: { type: 'boolean', default: false } } });

if (values.child !== undefined) {
  const cpuMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  const tls = await import('node:tls');
  const { createHttpClient, DEFAULT_HTTP_CLIENT_SETTINGS } = await import('../../packages/forwarder/dist/index.js');
  const before = cpuMs();
  if (values.warm) tls.createSecureContext({ minVersion: 'TLSv1.2' });
  const warmed = cpuMs();
  const client = createHttpClient({ ...DEFAULT_HTTP_CLIENT_SETTINGS, rejectUnauthorized: false, minTlsVersion: 'TLSv1.2' }, { timeoutMs: 20_000 });
  const response = await client.request({ origin: `https://127.0.0.1:${values.child}`, path: '/', method: 'GET', headers: {} });
  await response.dump();
  process.stdout.write(JSON.stringify({ contextCpuMs: warmed - before, requestCpuMs: cpuMs() - warmed }));
  process.exit(0);
}

const runs = Number(values.runs);
const certificate = await makeTestCertificate();
const server = https.createServer({ key: certificate.key, cert: certificate.cert }, (_req, res) => res.end('ok'));
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const script = fileURLToPath(import.meta.url);

function once(warm) {
  return new Promise((resolve, reject) => {
    const args = [script, '--child', String(server.address().port), ...(warm ? ['--warm'] : [])];
    const child = spawn(process.execPath, args, { env: childEnv(), stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child exited ${code}`))));
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = { cold: [], warm: [] };
try {
  for (let i = 0; i < runs; i++) {
    for (const mode of i % 2 === 0 ? ['cold', 'warm'] : ['warm', 'cold']) results[mode].push(await once(mode === 'warm'));
  }
} finally {
  server.close();
}
for (const [mode, rows] of Object.entries(results)) {
  const contextCpuMs = median(rows.map((r) => r.contextCpuMs)).toFixed(2);
  const requestCpuMs = median(rows.map((r) => r.requestCpuMs)).toFixed(2);
  console.log(JSON.stringify({ mode, runs: rows.length, contextCpuMs: Number(contextCpuMs), firstRequestCpuMs: Number(requestCpuMs) }));
}
