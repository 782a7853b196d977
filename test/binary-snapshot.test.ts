import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { freeTcpPort, freeUdpPort } from '@agentkit/core/testing';
import { startTestIntake, type TestIntake } from '@agentkit/testing';
import type { AgentProcess } from './support/agent-process.js';
import { execEnv, linesAtIntake } from './support/exec-process.js';
import { binaryAlone, type BinaryAlone } from './support/binary-alone.js';
import { REPO_ROOT } from './support/run-cli.js';

// The single executable built with a V8 startup snapshot (`scripts/build-binary.mjs --snapshot`,
// dist/snapshot/agentkit; scripts/binary/snapshot-main.cjs), run as a container runs it: copied
// alone into an empty folder, with no Node on PATH. What it must show beyond the default
// executable's tests (test/binary.test.ts): that it starts from the snapshot, and that nothing of
// the build's run (its pid, its host, a drawn id) was kept in it.
const BUILD_TIMEOUT_MS = 180_000;
const CASE_TIMEOUT_MS = 60_000;
const LINES = 1000;

let alone: BinaryAlone;
let dir: string;
let intake: TestIntake;

beforeAll(async () => {
  alone = await binaryAlone('dist/snapshot/agentkit', ['--snapshot']);
  dir = alone.dir;
  intake = await startTestIntake();
}, BUILD_TIMEOUT_MS);

afterAll(async () => {
  await intake.close();
  alone.remove();
});

function runBinary(args: readonly string[], env: Record<string, string>): AgentProcess {
  return alone.run(args, env);
}

/** The `pid@hostname` of every JSON log line the run wrote. */
function loggedProcesses(run: AgentProcess): string[] {
  const lines = `${run.stdout()}\n${run.stderr()}`.split('\n').filter((l) => l.startsWith('{'));
  return [...new Set(lines.map((l) => JSON.parse(l) as { pid?: number; hostname?: string }).map((l) => `${l.pid}@${l.hostname}`))];
}

describe('the single executable with a startup snapshot, alone in an empty folder with no Node on PATH', () => {
  it(
    'runs exec around a bash program that sends 1000 lines through /dev/udp and exits 3, started from its snapshot: exit code 3, every line at the intake',
    async () => {
      expect(readdirSync(dir)).toEqual(['agentkit']);
      const program = `for ((i = 0; i < ${LINES}; i++)); do printf 'task.lines:1|c|#phase:snapshot\\n' > "/dev/udp/127.0.0.1/$DD_DOGSTATSD_PORT"; done; exit 3`;
      const run = runBinary(['exec', '--', '/bin/bash', '-c', program], await execEnv(intake, { AGENTKIT_DEBUG_STARTUP: '1' }));
      const { code } = await run.closed;
      expect({ code, stderr: code === 3 ? '' : run.stderr() }).toEqual({ code: 3, stderr: '' });
      expect(linesAtIntake(intake, 'snapshot')).toBe(LINES);
      expect(run.stderr()).toMatch(/^agentkit: started from the startup snapshot$/m);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'logs with its own pid and host in every run, not those of the build that made the snapshot',
    async () => {
      const runs = await Promise.all(
        [0, 1].map(async () => {
          const run = runBinary(['exec', '--', '/bin/bash', '-c', 'exit 0'], await execEnv(intake, { DD_LOG_LEVEL: 'info' }));
          expect((await run.closed).code).toBe(0);
          return run;
        }),
      );
      for (const run of runs) expect(loggedProcesses(run)).toEqual([`${run.child.pid}@${hostname()}`]);
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'prints its version, runs the agent (which status reads) and answers every command',
    async () => {
      const version = (JSON.parse(readFileSync(join(REPO_ROOT, 'packages/core/package.json'), 'utf8')) as { version: string }).version;
      const run = runBinary(['version'], {});
      expect((await run.closed).code).toBe(0);
      expect(run.stdout()).toContain(`agentkit ${version} (node ${process.version})`);
      const cmdPort = String(await freeTcpPort());
      const agent = runBinary(['run'], { DD_API_KEY: '0123456789abcdef0123456789abcdef', DD_DD_URL: intake.url, DD_DOGSTATSD_PORT: String(await freeUdpPort()), DD_CMD_PORT: cmdPort });
      try {
        await agent.waitForStderr(/status server listening/);
        const status = runBinary(['status'], { DD_CMD_PORT: cmdPort });
        expect((await status.closed).code).toBe(0);
        expect(status.stdout()).toMatch(/^agentkit \S+ on 127\.0\.0\.1:\d+: pid \d+/);
      } finally {
        expect(await agent.stop()).toBe(0);
      }
      for (const command of ['exec', 'intake', 'config', 'graph', 'symdb']) {
        const help = runBinary([command, '--help'], {});
        expect({ command, code: (await help.closed).code }).toEqual({ command, code: 0 });
      }
    },
    CASE_TIMEOUT_MS,
  );
});
