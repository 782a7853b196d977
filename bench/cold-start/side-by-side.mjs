// Cold start of `agentkit exec -- node -e 0` as the npm-installed CLI and as the single
// executable (dist/agentkit, `npm run build:binary`), side by side with `node -e 0` alone, in
// one run: each round times the three (and any other --binary given) one after the other, so
// the machine's load falls on all alike. The wall time is spawn to exit; "added" is the median
// of each round's difference to that round's `node -e 0`. Every exec ships to a real local
// HTTP intake (in this process); a run that delivers nothing fails the bench.
// The binary runs from a copy in an empty temporary directory, with no Node on PATH (it needs
// none); the program it wraps is this Node, by its full path.
// CPU time and peak RSS are GNU time's (/usr/bin/time), when installed; --perf adds perf stat's
// task-clock (agent and program, every thread, to the microsecond; GNU time counts in 10 ms steps).
// --cli adds another npm CLI's bin to each round (e.g. a baseline checkout's
// packages/agent/bin/agentkit.js), run as this one's is.
// Usage: npm run build && npm run build:binary &&
//        node bench/cold-start/side-by-side.mjs [--runs 21] [--binary dist/agentkit]... [--cli <bin>]... [--perf] [--json]
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startTestIntake } from '../../packages/testing/dist/index.js';
import { childEnv, execToIntakeEnv } from '../support/child-env.mjs';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '21' }, binary: { type: 'string', multiple: true }, cli: { type: 'string', multiple: true }, json: { type: 'boolean', default: false }, perf: { type: 'boolean', default: false } },
});
const runs = Number(values.runs);
const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = `${root}packages/agent/bin/agentkit.js`;
const binaries = values.binary ?? [`${root}dist/agentkit`];

const scratch = mkdtempSync(path.join(tmpdir(), 'agentkit-cold-start-'));
const copies = binaries.map((file, i) => {
  const copy = path.join(scratch, `agentkit-${i}`);
  copyFileSync(file, copy);
  return { label: path.relative(root, path.resolve(file)), file: copy, sizeBytes: statSync(file).size };
});

// CPU time and peak RSS come from GNU time (/usr/bin/time) when it is installed: the machine is
// shared, and CPU and memory say more than wall time on a loaded one. It wraps every scenario
// alike. The peak RSS is that of the largest process (the agent; the program is smaller).
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const rusageFile = path.join(scratch, 'rusage');
const perfFile = path.join(scratch, 'perf');

function timeRun(command, args, env, cwd) {
  return new Promise((resolve, reject) => {
    const [timed, timedArgs] = gnuTime === undefined ? [command, args] : [gnuTime, ['-f', '%U %S %M', '-o', rusageFile, command, ...args]];
    const [file, argv] = values.perf ? ['/usr/bin/perf', ['stat', '-x,', '-e', 'task-clock', '-o', perfFile, timed, ...timedArgs]] : [timed, timedArgs];
    const startedAt = performance.now();
    const child = spawn(file, argv, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - startedAt;
      if (code !== 0) return reject(new Error(`${command} ${args.join(' ')} exited ${code}\n${stderr}`));
      const perf = values.perf ? { taskClockMs: Number(/^([\d.]+),msec,task-clock/m.exec(readFileSync(perfFile, 'utf8'))?.[1]) } : {};
      if (gnuTime === undefined) return resolve({ ms, ...perf });
      const [user, system, maxRssKiB] = readFileSync(rusageFile, 'utf8').trim().split(/\s+/).map(Number);
      resolve({ ms, cpuMs: (user + system) * 1000, rssMiB: maxRssKiB / 1024, ...perf });
    });
  });
}

function median(list) {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
// GNU time gives CPU time in 10 ms steps: the mean of many runs resolves finer than a median.
const mean = (list) => list.reduce((a, b) => a + b, 0) / list.length;
const round1 = (ms) => Math.round(ms * 10) / 10;

const intake = await startTestIntake();
const accepted = () => intake.requests.filter((r) => r.accepted).length;
const baseEnv = childEnv();
const execEnv = await execToIntakeEnv(intake.url, { DD_CMD_PORT: '-1' });
// PATH without any folder that holds a `node`: the binary must not need one.
const noNodePath = (baseEnv.PATH ?? '')
  .split(path.delimiter)
  .filter((dir) => {
    try {
      statSync(path.join(dir, 'node'));
      return false;
    } catch {
      return true;
    }
  })
  .join(path.delimiter);
const binaryEnv = { ...execEnv, PATH: noNodePath };
const program = [process.execPath, '-e', '0'];

const scenarios = [
  { label: 'node -e 0', run: () => timeRun(process.execPath, ['-e', '0'], baseEnv, root), baseline: true },
  { label: 'npm CLI: node packages/agent/bin/agentkit.js exec -- node -e 0', run: () => timeRun(process.execPath, [bin, 'exec', '--', ...program], execEnv, root), exec: true },
  ...(values.cli ?? []).map((other) => ({ label: `npm CLI: node ${other} exec -- node -e 0`, run: () => timeRun(process.execPath, [path.resolve(other), 'exec', '--', ...program], execEnv, root), exec: true })),
  ...copies.map((c) => ({ label: `binary: ./agentkit exec -- node -e 0 (${c.label})`, run: () => timeRun(c.file, ['exec', '--', ...program], binaryEnv, scratch), exec: true })),
];
const times = scenarios.map(() => []);
try {
  for (let i = 0; i < runs + 2; i++) {
    for (const [k, s] of scenarios.entries()) {
      const before = accepted();
      const sample = await s.run();
      if (s.exec === true && accepted() === before) throw new Error(`${s.label} delivered nothing to the intake: run it by hand to see why`);
      if (i >= 2) times[k].push(sample); // two warm-ups fill the page cache
    }
  }
} finally {
  await intake.close();
  rmSync(scratch, { recursive: true, force: true });
}

const baseline = times[0];
const result = {
  runs,
  node: process.version,
  scenarios: scenarios.map((s, k) => ({
    label: s.label,
    medianMs: round1(median(times[k].map((t) => t.ms))),
    ...(s.baseline === true ? {} : { addedMedianMs: round1(median(times[k].map((t, i) => t.ms - baseline[i].ms))) }),
    ...(gnuTime === undefined ? {} : { cpuMeanMs: round1(mean(times[k].map((t) => t.cpuMs))), peakRssMedianMiB: round1(median(times[k].map((t) => t.rssMiB))) }),
    ...(values.perf ? { taskClockMedianMs: round1(median(times[k].map((t) => t.taskClockMs))) } : {}),
  })),
  binaries: copies.map((c) => ({ label: c.label, sizeBytes: c.sizeBytes })),
};
if (values.json) console.log(JSON.stringify(result));
else {
  console.log(`runs=${runs} node=${result.node} (interleaved rounds, two warm-ups left out)`);
  console.log('| scenario | median ms | added over node -e 0 (median of pairwise differences) | CPU ms (mean) | peak RSS MiB (median) | task-clock ms (median) |');
  console.log('|---|---|---|---|---|---|');
  for (const s of result.scenarios) console.log(`| ${s.label} | ${s.medianMs} | ${s.addedMedianMs ?? '—'} | ${s.cpuMeanMs ?? 'n/a'} | ${s.peakRssMedianMiB ?? 'n/a'} | ${s.taskClockMedianMs ?? 'n/a'} |`);
  for (const b of result.binaries) console.log(`${b.label}: ${(b.sizeBytes / 1e6).toFixed(1)} MB (${b.sizeBytes} bytes)`);
}
