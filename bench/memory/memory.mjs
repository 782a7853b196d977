// Memory of the agent as a new user runs it (issue 14): the built CLI, real UDP, its embedded
// local intake, nothing in-process.
//
//  1. `agentkit run` (packages/agent/bin/agentkit.js run), no api_key, so it embeds the local
//     intake (its defaults: it keeps 5 000 contexts and counts the rest, which it still decodes).
//     Its RSS is sampled from /proc/<pid>/status (VmRSS, VmHWM) every 50 ms:
//     - idle: 3 s after "agentkit is running", and VmHWM then (the start-up high-water mark);
//     - --contexts contexts (100k), each its own 5-tag set (m.<type>.<i%100>:1|<c|g|d|h>|#a:i,…,e:i,
//       a quarter each of counters, gauges, distributions, histograms) over UDP to 127.0.0.1,
//       in 1 432-byte datagrams (the clients' default) paced at --rate lines/s, all within one
//       10 s bucket, re-sent in the next bucket after each flush so every flush carries them all
//       (aggregator_flush_interval 1 s: each closed bucket is flushed within a second);
//     - RSS once every line is counted by the agent, before the first flush; peak RSS from the
//       bucket's end until the intake has every item of that flush (+0.5 s); the rise over the
//       RSS sampled just before it;
//     - delivery: the intake's item counters (/api/local/stats) against what the contexts make
//       (counter 1, gauge 1, histogram 5 series, distribution 1 sketch), and drops (the
//       agent's UDP counters, the kernel's Udp RcvbufErrors before/after, system-wide).
//  2. `agentkit exec -- node -e "setTimeout(()=>{},<exec-ms>)"`, the wrapper's VmHWM (last read
//     before it exits; the program is its child and not counted), without the symdb upload and
//     with DD_SYMBOL_DATABASE_UPLOAD_ENABLED=true on generated 10 MB and 100 MB trees
//     (bench/symdb/generate-tree.mjs, cached in the OS temp dir) as the working directory; the
//     upload goes to the wrapper's embedded local intake. Whether the upload finished before the
//     program exited is reported (a cut-short upload understates the peak).
// Medians over --runs (exec: --exec-runs). Bounded: loopback only, every child is stopped.
// Usage: npm run build && node bench/memory/memory.mjs [--runs 3] [--contexts 100000]
//          [--flushes 2] [--rate 100000] [--exec-runs 3] [--exec-ms 3000] [--only run|exec|idle]
//          [--intake embedded|separate|both] [--until-uploaded] [--json]
//          [--agent-node-flags=--max-semi-space-size=1]  (node flags of the agentkit processes)
//          [--checkout <dir>]  (measure that built checkout's CLI instead of this one's)
// --intake separate runs `agentkit intake` as its own process and points the agent (dd_url,
// api_key, symdb_url) at it, so the figures are the agent's alone; embedded is the default.
// --only idle: `agentkit run` up to its idle reading only (no contexts, no flushes): idle RSS,
// its start-up high-water mark, RssAnon / RssFile and the agent's CPU so far (user + system,
// every thread), run by run alternated with --checkout's when that is given too.
// --until-uploaded adds exec runs whose program waits for the upload's final batch at the intake.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { availableParallelism, tmpdir, totalmem, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freeTcpPort, freeUdpPort } from '../../packages/core/dist/testing/index.js';
import { childEnv } from '../support/child-env.mjs';
import { kernelUdp } from '../support/kernel-udp.mjs';
import { generateTree } from '../symdb/generate-tree.mjs';
import { readProcCpuMs, sampleProcMemory } from './proc-memory.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    contexts: { type: 'string', default: '100000' },
    flushes: { type: 'string', default: '2' },
    rate: { type: 'string', default: '100000' },
    'exec-runs': { type: 'string' },
    'exec-ms': { type: 'string', default: '3000' },
    only: { type: 'string' },
    intake: { type: 'string', default: 'embedded' },
    'until-uploaded': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    'agent-node-flags': { type: 'string', default: '' },
    // Another built checkout whose CLI is measured by this script (a baseline in the same run).
    checkout: { type: 'string' },
  },
});
const RUNS = Number(values.runs);
const CONTEXTS = Number(values.contexts);
const FLUSHES = Math.max(1, Number(values.flushes));
const RATE = Number(values.rate);
const EXEC_RUNS = Number(values['exec-runs'] ?? values.runs);
const EXEC_MS = Number(values['exec-ms']);
const INTAKE_MODES = values.intake === 'both' ? ['embedded', 'separate'] : [values.intake];
if (!INTAKE_MODES.every((m) => m === 'embedded' || m === 'separate')) throw new Error('--intake is embedded, separate or both');
if (CONTEXTS % 4 !== 0) throw new Error('--contexts must be a multiple of 4 (a quarter per type)');
const AGENT_NODE_FLAGS = values['agent-node-flags'].split(' ').filter((f) => f !== '');
const IDLE_ONLY = values.only === 'idle';
const ownRoot = fileURLToPath(new URL('../..', import.meta.url));
// --only idle alternates the two checkouts run by run (the other first); otherwise --checkout's alone.
let root = values.checkout ?? ownRoot;
let bin = join(root, 'packages/agent/bin/agentkit.js');
const useCheckout = (dir) => {
  root = dir;
  bin = join(root, 'packages/agent/bin/agentkit.js');
};
const BUCKET_MS = 10_000;
const DATAGRAM_BYTES = 1432;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (bytes) => (bytes / 1e6).toFixed(1);
const log = (line) => {
  if (!values.json) process.stderr.write(`${line}\n`);
};

/** Spawns the CLI; `waitFor(stream, re, ms)` resolves with the first match. */
function startCli(args, env, cwd) {
  const child = spawn(process.execPath, [...AGENT_NODE_FLAGS, bin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const text = { stdout: '', stderr: '' };
  const listeners = new Set();
  for (const stream of ['stdout', 'stderr']) {
    child[stream].on('data', (chunk) => {
      text[stream] += chunk;
      for (const l of [...listeners]) l();
    });
  }
  const closed = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  let ended = false;
  void closed.then(() => {
    ended = true;
    for (const l of [...listeners]) l();
  });
  const waitFor = (stream, re, ms = 20_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`no ${re} in ${stream} after ${ms} ms\n${text.stderr.slice(-3000)}`)), ms);
      const finish = (error, match) => {
        clearTimeout(timer);
        listeners.delete(check);
        if (error) reject(error);
        else resolve(match);
      };
      const check = () => {
        const m = text[stream].match(re);
        if (m !== null) finish(undefined, m);
        else if (ended) finish(new Error(`exited before ${re} in ${stream}\n${text.stderr.slice(-3000)}`));
      };
      listeners.add(check);
      check();
    });
  return { child, text, closed, waitFor };
}

async function getJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return response.json();
}

async function pollUntil(read, done, what, timeoutMs = 20_000, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 1000)}`);
    await sleep(everyMs);
  }
}

const TYPES = [['counter', 'c'], ['gauge', 'g'], ['distribution', 'd'], ['histogram', 'h']];

/** The datagrams of `n` contexts: lines packed up to 1 432 bytes, none split. */
function buildDatagrams(n) {
  const datagrams = [];
  let current = '';
  for (let i = 0; i < n; i++) {
    const [type, code] = TYPES[i % 4];
    const line = `m.${type}.${i % 100}:1|${code}|#a:${i},b:${i},c:${i},d:${i},e:${i}`;
    if (current.length > 0 && current.length + 1 + line.length > DATAGRAM_BYTES) {
      datagrams.push(Buffer.from(current));
      current = '';
    }
    current = current.length === 0 ? line : `${current}\n${line}`;
  }
  if (current.length > 0) datagrams.push(Buffer.from(current));
  return datagrams;
}

/** Sends the datagrams to 127.0.0.1:port at about `rate` lines/s (in 10 ms slices). */
async function sendPaced(socket, port, datagrams, lines, rate) {
  const perSlice = Math.max(1, Math.round((datagrams.length * 10) / ((lines / rate) * 1000)));
  const startedAt = performance.now();
  for (let i = 0; i < datagrams.length; i += perSlice) {
    const slice = datagrams.slice(i, i + perSlice);
    await Promise.all(slice.map((d) => new Promise((resolve, reject) => socket.send(d, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())))));
    const due = startedAt + ((i + perSlice) / perSlice) * 10;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
  }
  return performance.now() - startedAt;
}

/** Resolves at wall-clock time `epochMs`. */
const untilEpoch = (epochMs) => sleep(Math.max(0, epochMs - Date.now()));
const nextBucketEdge = () => (Math.floor(Date.now() / BUCKET_MS) + 1) * BUCKET_MS;

/** Items the intake received, by kind: series (series_v2 + v1) and sketches. */
function intakeItems(stats) {
  const items = stats.items ?? {};
  let series = 0;
  let sketches = 0;
  for (const [kind, n] of Object.entries(items)) {
    if (kind.startsWith('series')) series += n;
    else if (kind.startsWith('sketches')) sketches += n;
  }
  return { series, sketches };
}

/** The agent's counters by component, from its status server. */
const agentCounters = async (cmdPort) => (await getJson(`http://127.0.0.1:${cmdPort}/status`)).components;

/**
 * One `agentkit run`. intake 'embedded': its own local intake (no api_key), in its process, as a
 * new user runs it; 'separate': `agentkit intake` in another process, the agent sending to it
 * with dd_url and an api_key, so the agent's RSS has no intake in it.
 */
async function runOnce(datagrams, intakeMode) {
  const [udpPort, cmdPort, intakePort] = [await freeUdpPort(), await freeTcpPort(), await freeTcpPort()];
  const intakeUrl = `http://127.0.0.1:${intakePort}`;
  const env = childEnv({
    DD_DOGSTATSD_PORT: String(udpPort),
    DD_CMD_PORT: String(cmdPort),
    DD_AGGREGATOR_FLUSH_INTERVAL: '1',
    ...(intakeMode === 'embedded' ? { DD_LOCAL_INTAKE_PORT: String(intakePort) } : { DD_DD_URL: intakeUrl, DD_API_KEY: '0123456789abcdef0123456789abcdef' }),
  });
  let intake;
  if (intakeMode === 'separate') {
    intake = startCli(['intake', '--port', String(intakePort)], childEnv(), root);
    await intake.waitFor('stdout', /agentkit local intake on/);
  }
  const kernelBefore = kernelUdp();
  const cli = startCli(['run'], env, root);
  let sampler;
  const socket = dgram.createSocket('udp4');
  try {
    const banner = await cli.waitFor('stdout', /agentkit is running \(pid (\d+)\)/);
    const pid = Number(banner[1]);
    sampler = sampleProcMemory(pid, 50);
    await sleep(3000);
    const idle = sampler.now();
    const result = { idleRss: idle.rss, startupHwm: idle.hwm, idleAnon: idle.anon, idleFile: idle.file, idleCpuMs: readProcCpuMs(pid), flushes: [] };
    if (IDLE_ONLY) {
      const code = await stopChild(cli);
      if (code !== 0) throw new Error(`agentkit run exited ${code}\n${cli.text.stderr.slice(-3000)}`);
      return result;
    }

    const perType = CONTEXTS / 4;
    const expected = { series: perType * (1 + 1 + 5), sketches: perType };
    let sentLines = 0;
    // Start right after a bucket edge so the whole send falls in one bucket.
    await untilEpoch(nextBucketEdge() + 200);
    for (let f = 0; f < FLUSHES; f++) {
      const edge = nextBucketEdge();
      const linesBefore = (await agentCounters(cmdPort)).DogstatsdServer.lines;
      const sendMs = await sendPaced(socket, udpPort, datagrams, CONTEXTS, RATE);
      sentLines += CONTEXTS;
      const agent = await pollUntil(() => agentCounters(cmdPort), (a) => a.DogstatsdServer.lines - linesBefore >= CONTEXTS, 'the agent to count every line', 5000);
      if (Date.now() > edge - 300) throw new Error(`sending ${CONTEXTS} contexts took ${Math.round(sendMs)} ms: past the bucket's end; lower --contexts or raise --rate`);
      const arrived = sampler.now();
      const contexts = agent.Demultiplexer.contexts;
      const itemsBefore = intakeItems(await getJson(`${intakeUrl}/api/local/stats`));
      await untilEpoch(edge);
      const before = sampler.now();
      const flushStart = before.t;
      // The flush: from the bucket's end until the intake has every item of it.
      const stats = await pollUntil(
        () => getJson(`${intakeUrl}/api/local/stats`),
        (s) => {
          const items = intakeItems(s);
          return items.series - itemsBefore.series >= expected.series && items.sketches - itemsBefore.sketches >= expected.sketches;
        },
        'the intake to receive the flush',
        15_000,
        50,
      );
      const deliveredAt = performance.now();
      await sleep(500);
      const items = intakeItems(stats);
      const peak = sampler.peakBetween(flushStart);
      result.flushes.push({
        sendMs: Math.round(sendMs),
        contexts,
        rssArrived: arrived.rss,
        rssBefore: before.rss,
        peak,
        rise: peak - before.rss,
        flushMs: Math.round(deliveredAt - flushStart),
        seriesDelivered: items.series - itemsBefore.series,
        sketchesDelivered: items.sketches - itemsBefore.sketches,
      });
      log(`  flush ${f + 1}: sent in ${Math.round(sendMs)} ms, ${contexts} contexts, RSS arrived ${mb(arrived.rss)} → before flush ${mb(before.rss)} → peak ${mb(peak)} MB (+${mb(peak - before.rss)}), delivered in ${Math.round(deliveredAt - flushStart)} ms: ${items.series - itemsBefore.series} series, ${items.sketches - itemsBefore.sketches} sketches`);
    }
    const agent = await agentCounters(cmdPort);
    const stats = await getJson(`${intakeUrl}/api/local/stats`);
    result.expected = expected;
    result.linesSent = sentLines;
    result.linesCounted = agent.DogstatsdServer.lines;
    result.agentKernelDrops = agent.UdpListener.kernel_drops;
    result.queueFull = agent.DogstatsdServer.queue_full;
    result.intakeDropped = stats.dropped;
    result.finalHwm = sampler.now().hwm;
    // The agent's CPU from its start to the last flush delivered (user + system, every thread).
    result.cpuMs = readProcCpuMs(pid);
    result.everyContextDelivered =
      result.linesCounted === sentLines && result.flushes.every((f) => f.contexts === CONTEXTS && f.seriesDelivered === expected.series && f.sketchesDelivered === expected.sketches);
    const code = await stopChild(cli);
    if (code !== 0) throw new Error(`agentkit run exited ${code}\n${cli.text.stderr.slice(-3000)}`);
    if (intake !== undefined) await stopChild(intake);
    const kernelAfter = kernelUdp();
    result.kernelRcvbufErrors = kernelAfter === undefined ? null : kernelAfter.RcvbufErrors - kernelBefore.RcvbufErrors;
    return result;
  } finally {
    sampler?.stop();
    socket.close();
    for (const p of [cli, intake]) if (p !== undefined && p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    if (intake !== undefined) await intake.closed;
  }
}

async function stopChild(cli) {
  cli.child.kill('SIGTERM');
  const timer = setTimeout(() => cli.child.kill('SIGKILL'), 15_000);
  const { code } = await cli.closed;
  clearTimeout(timer);
  return code;
}

// The wrapped program when it waits for the upload: it polls the intake until the upload's final
// batch is there (at most 120 s), so the wrapper's peak covers the whole upload.
const UNTIL_UPLOADED = `const url = process.argv[1] + '/api/local/symdb'; const deadline = Date.now() + 120000;
const poll = async () => { try { const r = await fetch(url); if (r.ok && (await r.json()).some((b) => b.final)) return; } catch {}
  if (Date.now() < deadline) setTimeout(poll, 200); }; poll();`;

/**
 * One `agentkit exec`: intake 'embedded' (no api_key: the wrapper's own local intake receives
 * the upload) or 'separate' (`agentkit intake` in another process; symdb_url points at it).
 */
async function execOnce(cwd, symdb, untilUploaded, intakeMode) {
  const intakePort = await freeTcpPort();
  const intakeUrl = `http://127.0.0.1:${intakePort}`;
  const env = childEnv({
    DD_DOGSTATSD_PORT: String(await freeUdpPort()),
    DD_CMD_PORT: '0',
    ...(intakeMode === 'embedded'
      ? { DD_LOCAL_INTAKE_PORT: String(intakePort) }
      : { DD_DD_URL: intakeUrl, DD_API_KEY: '0123456789abcdef0123456789abcdef', DD_SYMDB_URL: `${intakeUrl}/symdb/v1/input` }),
    ...(symdb ? { DD_SYMBOL_DATABASE_UPLOAD_ENABLED: 'true' } : {}),
  });
  let intake;
  if (intakeMode === 'separate') {
    intake = startCli(['intake', '--port', String(intakePort)], childEnv(), root);
    await intake.waitFor('stdout', /agentkit local intake on/);
  }
  try {
    const program = untilUploaded ? ['-e', UNTIL_UPLOADED, intakeUrl] : ['-e', `setTimeout(()=>{},${EXEC_MS})`];
    const startedAt = performance.now();
    const cli = startCli(['exec', '--', process.execPath, ...program], env, cwd);
    const sampler = sampleProcMemory(cli.child.pid, 50);
    // The wrapper's CPU (user + system, every thread): what the upload costs it, read until it exits.
    let cpuMs = 0;
    const cpuTimer = setInterval(() => (cpuMs = readProcCpuMs(cli.child.pid) ?? cpuMs), 50);
    const { code } = await cli.closed;
    clearInterval(cpuTimer);
    sampler.stop();
    if (code !== 0) throw new Error(`agentkit exec exited ${code}\n${cli.text.stderr.slice(-3000)}`);
    const done = /"durationMs":(\d+)[^\n]*"msg":"symbol database uploaded"/.exec(cli.text.stderr);
    return {
      hwm: sampler.samples.at(-1).hwm,
      peakRssSampled: Math.max(...sampler.samples.map((s) => s.rss)),
      wallMs: Math.round(performance.now() - startedAt),
      cpuMs,
      uploaded: done !== null,
      uploadMs: done === null ? null : Number(done[1]),
      stoppedWithApp: /symbol database upload stopped with the app/.test(cli.text.stderr),
    };
  } finally {
    if (intake !== undefined) await stopChild(intake);
  }
}

const machine = { node: process.version, nproc: availableParallelism(), cpu: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30) };
const output = { machine, agentNodeFlags: AGENT_NODE_FLAGS, contexts: CONTEXTS, runs: RUNS, flushes: FLUSHES, rate: RATE, startedAt: new Date().toISOString() };

if (IDLE_ONLY) {
  const checkouts = values.checkout === undefined ? [ownRoot] : [values.checkout, ownRoot];
  output.idle = {};
  for (const mode of INTAKE_MODES) {
    const byCheckout = new Map(checkouts.map((c) => [c, []]));
    for (let r = 0; r < RUNS; r++) {
      for (const c of checkouts) {
        useCheckout(c);
        const x = await runOnce([], mode);
        log(`  ${c} (${mode}): idle ${mb(x.idleRss)} MB (RssAnon ${mb(x.idleAnon)}, RssFile ${mb(x.idleFile)}), start-up HWM ${mb(x.startupHwm)}, CPU ${x.idleCpuMs} ms`);
        byCheckout.get(c).push(x);
      }
    }
    output.idle[mode] = Object.fromEntries(
      [...byCheckout].map(([c, xs]) => [
        c,
        Object.fromEntries(['idleRss', 'startupHwm', 'idleAnon', 'idleFile', 'idleCpuMs'].map((k) => [k, { median: median(xs.map((x) => x[k])), runs: xs.map((x) => x[k]) }])),
      ]),
    );
  }
} else if (values.only !== 'exec') {
  const datagrams = buildDatagrams(CONTEXTS);
  output.run = {};
  for (const mode of INTAKE_MODES) {
    log(`agentkit run, intake ${mode}: ${CONTEXTS} contexts in ${datagrams.length} datagrams, ${FLUSHES} flushes, ${RUNS} run(s)`);
    const runs = [];
    for (let r = 0; r < RUNS; r++) {
      log(`run ${r + 1}/${RUNS}`);
      const result = await runOnce(datagrams, mode);
      log(`  idle ${mb(result.idleRss)} MB (start-up HWM ${mb(result.startupHwm)}), final HWM ${mb(result.finalHwm)} MB, CPU ${result.cpuMs} ms, every context delivered: ${result.everyContextDelivered}, kernel RcvbufErrors ${result.kernelRcvbufErrors}, agent kernel_drops ${result.agentKernelDrops}`);
      runs.push(result);
    }
    const flushMedians = Array.from({ length: FLUSHES }, (_, f) => ({
      rssArrived: median(runs.map((r) => r.flushes[f].rssArrived)),
      rssBefore: median(runs.map((r) => r.flushes[f].rssBefore)),
      peak: median(runs.map((r) => r.flushes[f].peak)),
      rise: median(runs.map((r) => r.flushes[f].rise)),
      flushMs: median(runs.map((r) => r.flushes[f].flushMs)),
    }));
    output.run[mode] = {
      idleRss: median(runs.map((r) => r.idleRss)),
      startupHwm: median(runs.map((r) => r.startupHwm)),
      rssArrivedBeforeFirstFlush: flushMedians[0].rssArrived,
      peakThroughFlushes: median(runs.map((r) => Math.max(...r.flushes.map((f) => f.peak)))),
      largestRise: median(runs.map((r) => Math.max(...r.flushes.map((f) => f.rise)))),
      finalHwm: median(runs.map((r) => r.finalHwm)),
      cpuMs: median(runs.map((r) => r.cpuMs)),
      flushes: flushMedians,
      everyContextDelivered: runs.every((r) => r.everyContextDelivered),
      kernelRcvbufErrors: runs.reduce((n, r) => n + (r.kernelRcvbufErrors ?? 0), 0),
      agentKernelDrops: runs.reduce((n, r) => n + r.agentKernelDrops, 0),
      perRun: runs,
    };
  }
}

if (values.only !== 'run' && !IDLE_ONLY) {
  const base = join(tmpdir(), 'agentkit-symdb-bench');
  const trees = { '10 MB': generateTree(base, 10e6), '100 MB': generateTree(base, 100e6) };
  const scenarios = [
    ['no symdb', trees['10 MB'], false, false],
    ['symdb, 10 MB tree', trees['10 MB'], true, false],
    ['symdb, 100 MB tree', trees['100 MB'], true, false],
    // Opt-in: the program outlives the upload (capped at 120 s: the 100 MB tree's upload did not
    // finish within it on 2026-12-01).
    ...(values['until-uploaded']
      ? [['symdb, 10 MB tree, until uploaded', trees['10 MB'], true, true], ['symdb, 100 MB tree, until uploaded', trees['100 MB'], true, true]]
      : []),
  ];
  output.exec = {};
  for (const mode of INTAKE_MODES) {
    log(`agentkit exec, intake ${mode}: node -e "setTimeout(()=>{},${EXEC_MS})" (or until the upload is at the intake), cwd a generated tree, ${EXEC_RUNS} run(s) each`);
    const byScenario = {};
    for (const [name, cwd, symdb, untilUploaded] of scenarios) {
      const runs = [];
      for (let r = 0; r < EXEC_RUNS; r++) {
        const x = await execOnce(cwd, symdb, untilUploaded, mode);
        log(`  ${name}: VmHWM ${mb(x.hwm)} MB (sampled peak RSS ${mb(x.peakRssSampled)}), ${x.wallMs} ms, wrapper CPU ${x.cpuMs} ms${symdb ? `, upload ${x.uploaded ? `done in ${x.uploadMs} ms` : x.stoppedWithApp ? 'STOPPED with the app (cut short)' : 'not reported'}` : ''}`);
        runs.push(x);
      }
      byScenario[name] = {
        hwm: median(runs.map((x) => x.hwm)),
        wallMs: median(runs.map((x) => x.wallMs)),
        cpuMs: median(runs.map((x) => x.cpuMs)),
        symdb,
        uploadMs: symdb ? median(runs.map((x) => x.uploadMs ?? Infinity)) : null,
        uploadsCompleted: symdb ? runs.filter((x) => x.uploaded).length : null,
        runs: runs.length,
      };
    }
    output.exec[mode] = byScenario;
  }
}

if (values.json) console.log(JSON.stringify(output));
else {
  console.log(`\nnode ${machine.node}, nproc ${machine.nproc} (${machine.cpu}), ${machine.memGiB} GiB; ${output.startedAt}; medians; MB = 10^6 bytes`);
  for (const [mode, byCheckout] of Object.entries(output.idle ?? {})) {
    console.log(`\n\`agentkit run\` idle (3 s after "agentkit is running"), intake ${mode}, ${RUNS} run(s) each, alternated; medians (runs)\n`);
    console.log('| checkout | idle RSS MB (≤ 50) | start-up HWM MB | RssAnon MB | RssFile MB | CPU so far ms |');
    console.log('|---|---|---|---|---|---|');
    for (const [c, m] of Object.entries(byCheckout)) {
      const cell = (k, f) => `${f(m[k].median)} (${m[k].runs.map(f).join(', ')})`;
      console.log(`| ${c} | ${cell('idleRss', mb)} | ${cell('startupHwm', mb)} | ${cell('idleAnon', mb)} | ${cell('idleFile', mb)} | ${cell('idleCpuMs', String)} |`);
    }
  }
  for (const [mode, r] of Object.entries(output.run ?? {})) {
    const where = mode === 'embedded' ? 'its embedded local intake (defaults, as a new user runs it)' : 'a separate `agentkit intake` process (the agent alone)';
    console.log(`\n\`agentkit run\` with ${where}: ${CONTEXTS} contexts (own 5-tag set each, ¼ c/g/d/h), ${FLUSHES} flushes, ${RUNS} run(s)\n`);
    console.log('| measure | MB | target (issue 14) |');
    console.log('|---|---|---|');
    console.log(`| idle RSS, 3 s after start | ${mb(r.idleRss)} | ≤ 50 |`);
    console.log(`| start-up high-water mark (VmHWM at idle) | ${mb(r.startupHwm)} | |`);
    console.log(`| RSS after the contexts arrive, before the first flush | ${mb(r.rssArrivedBeforeFirstFlush)} | |`);
    r.flushes.forEach((f, i) => console.log(`| flush ${i + 1}: RSS before → peak (rise); delivered in | ${mb(f.rssBefore)} → ${mb(f.peak)} (+${mb(f.rise)}); ${f.flushMs} ms | |`));
    console.log(`| peak RSS through the flushes | ${mb(r.peakThroughFlushes)} | ≤ 150 |`);
    console.log(`| largest rise during a flush over the RSS before it | ${mb(r.largestRise)} | ≤ 10 |`);
    console.log(`| VmHWM at the end | ${mb(r.finalHwm)} | |`);
    console.log(`| agent CPU, start to the last flush delivered (ms, user + system) | ${r.cpuMs} | |`);
    console.log(`\nevery context delivered in every flush: ${r.everyContextDelivered}; UDP drops: kernel RcvbufErrors ${r.kernelRcvbufErrors} (system-wide), agent kernel_drops ${r.agentKernelDrops}`);
  }
  for (const [mode, x] of Object.entries(output.exec ?? {})) {
    const none = x['no symdb'].hwm;
    const where = mode === 'embedded' ? 'the upload to the wrapper\'s embedded local intake' : 'the upload to a separate `agentkit intake` (symdb_url)';
    console.log(`\n\`agentkit exec\`, wrapper VmHWM, ${where}, ${EXEC_RUNS} run(s)\n`);
    console.log('| scenario | peak RSS MB | added by symdb MB (target ≤ 30) | wall ms | wrapper CPU ms | upload ms (completed runs) |');
    console.log('|---|---|---|---|---|---|');
    for (const [name, s] of Object.entries(x)) {
      console.log(`| ${name} | ${mb(s.hwm)} | ${s.symdb ? `+${mb(s.hwm - none)}` : ''} | ${s.wallMs} | ${s.cpuMs} | ${s.symdb ? `${s.uploadMs === Infinity ? '—' : s.uploadMs} (${s.uploadsCompleted}/${s.runs})` : ''} |`);
    }
  }
}
