import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestIntake, type TestIntake } from '@agentkit/testing';
import { freeTcpPort, freeUdpPort } from '@agentkit/core/testing';
import { getJson, pollUntil, watchProcess, type AgentProcess } from './support/agent-process.js';
import { procEntry, processesInGroup } from './support/process-group.js';
import { REPO_ROOT } from './support/run-cli.js';

// `npm start` as a container's command (or a process manager's): the signal goes to the npm
// process only, and must reach the agent, which drains, exits 0, and leaves nothing behind.
// The build `npm start` runs first is a no-op here: the tests run on a built tree.

const started: { npm: AgentProcess; intake: TestIntake }[] = [];
afterEach(async () => {
  for (const { npm, intake } of started.splice(0)) {
    // Whatever of the tree is left (an orphaned agent, when the fix is missing).
    for (const p of processesInGroup(npm.child.pid ?? -1)) process.kill(p.pid, 'SIGKILL');
    await npm.stop('SIGKILL');
    await intake.close();
  }
});

interface NpmStart {
  readonly npm: AgentProcess;
  /** When the npm process itself exits. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly intake: TestIntake;
  readonly udpPort: number;
  readonly statusUrl: string;
  readonly agentPid: number;
}

/** Runs the real `npm start -- <args>` in its own process group (pgid = npm's pid), as a terminal or a container runtime starts it. */
async function npmStart(): Promise<NpmStart> {
  const intake = await startTestIntake();
  const udpPort = await freeUdpPort();
  const cmdPort = await freeTcpPort();
  // The config file is passed after `--`: it shows extra arguments still reach `agentkit run`.
  const configFile = join(mkdtempSync(join(tmpdir(), 'agentkit-npm-start-')), 'datadog.yaml');
  writeFileSync(configFile, 'hostname: npm-start-host\n');
  const child = spawn('npm', ['start', '--', '--config', configFile], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? tmpdir(),
      // npm would otherwise ask the registry whether it is the latest npm.
      npm_config_update_notifier: 'false',
      DD_API_KEY: '0123456789abcdef0123456789abcdef',
      DD_DD_URL: intake.url,
      DD_DOGSTATSD_PORT: String(udpPort),
      DD_CMD_PORT: String(cmdPort),
    },
  });
  // npm's own exit: `closed` also waits for its output pipes, which an orphaned agent holds open.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const npm = watchProcess(child);
  started.push({ npm, intake });
  const [, pid] = await npm.waitForStdout(/agentkit is running \(pid (\d+)\)/, 30_000);
  return { npm, exited, intake, udpPort, statusUrl: `http://127.0.0.1:${cmdPort}`, agentPid: Number(pid) };
}

async function sendMetric(port: number): Promise<void> {
  const udp = createSocket('udp4');
  await new Promise<void>((resolve, reject) => udp.send('npm_start.metric:5|c', port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
  udp.close();
}

describe('npm start', () => {
  it.each([
    ['SIGTERM', 'the npm process (docker stop, a process manager)'],
    ['SIGINT', 'the npm process'],
    ['SIGINT', 'the whole process group (Ctrl-C in a terminal: the agent gets it from the terminal and again from npm)'],
  ] as const)('on %s to %s, the agent drains to the intake, npm exits 0 and no process is left', async (signal, target) => {
    const { npm, exited, intake, udpPort, statusUrl, agentPid } = await npmStart();
    const npmPid = npm.child.pid ?? -1;
    // `exec` in the script: the agent is npm's own child, not a shell's.
    expect(procEntry(agentPid)?.ppid).toBe(npmPid);

    await sendMetric(udpPort);
    await pollUntil(
      () => getJson<{ components: Record<string, Record<string, number>> }>(`${statusUrl}/status`),
      (s) => (s.components['DogstatsdServer']?.['samples'] ?? 0) >= 1,
      'the sample counted by the DogStatsD server',
    );
    expect(intake.series().some((s) => s.metric === 'npm_start.metric')).toBe(false); // still in its open bucket

    process.kill(target.startsWith('the whole') ? -npmPid : npmPid, signal);
    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([
      exited,
      new Promise<string>((resolve) => (timer = setTimeout(() => resolve('npm still running 15 s after the signal'), 15_000))),
    ]);
    clearTimeout(timer);

    expect(exit).toEqual({ code: 0, signal: null });
    // The drain: the open bucket was flushed and sent before the agent exited.
    const sent = intake.series().filter((s) => s.metric === 'npm_start.metric');
    expect(sent.reduce((n, s) => n + s.points.reduce((m, p) => m + p.value * s.interval, 0), 0)).toBeCloseTo(5, 6);
    expect(sent[0]?.resources).toContainEqual({ type: 'host', name: 'npm-start-host' });
    expect(npm.stderr()).not.toMatch(/second signal/);
    expect(procEntry(agentPid)).toBeUndefined();
    expect(processesInGroup(npmPid)).toEqual([]);
  }, 60_000);
});
