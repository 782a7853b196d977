import { fileURLToPath } from 'node:url';
import { freeTcpPort, freeUdpPort } from '@agentkit/core/testing';
import type { TestIntake } from '@agentkit/testing';
import { startAgentProcess, type AgentProcess } from './agent-process.js';
import { REPO_ROOT } from './run-cli.js';

/** The task `agentkit exec` wraps in tests and benches (see its header for its flags). */
export const EXEC_TASK = fileURLToPath(new URL('../fixtures/exec-task.mjs', import.meta.url));

/** A running `agentkit exec`. */
export type ExecProcess = AgentProcess;

/** Starts `agentkit exec <args>` (the built CLI), as {@link startAgentProcess} does. */
export function startExec(args: readonly string[], env: Record<string, string>, cwd: string = REPO_ROOT): ExecProcess {
  return startAgentProcess(['exec', ...args], env, cwd);
}

/**
 * The environment of an `agentkit exec` shipping to `intake`, listening on a UDP port that was
 * free a moment ago (`dogstatsd_port: 0` would turn UDP off); the task reads it in DD_DOGSTATSD_PORT.
 * The trace agent's receiver gets a free TCP port too (DD_TRACE_AGENT_PORT for the task): 8126
 * may be held by another agent on the machine, and exec then starts its program only after the
 * pipeline's ready point instead of beside the pipeline's start (see exec-early.test.ts).
 */
export async function execEnv(intake: TestIntake, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    DD_API_KEY: '0123456789abcdef0123456789abcdef',
    DD_DD_URL: intake.url,
    DD_DOGSTATSD_PORT: String(await freeUdpPort()),
    DD_APM_RECEIVER_PORT: String(await freeTcpPort()),
    DD_CMD_PORT: '-1',
    ...extra,
  };
}

/**
 * How many increments of counter `metric` reached the intake (only series tagged `tag`, when
 * given). Counters arrive as a rate per bucket: value × interval is the count.
 */
export function counterTotalAtIntake(intake: TestIntake, metric: string, tag?: string): number {
  let total = 0;
  for (const series of intake.series()) {
    if (series.metric !== metric) continue;
    if (tag !== undefined && !series.tags.includes(tag)) continue;
    for (const point of series.points) total += point.value * series.interval;
  }
  return Math.round(total);
}

/** How many `task.lines` counter increments reached the intake (for one `phase` tag, or all). */
export function linesAtIntake(intake: TestIntake, phase?: string): number {
  return counterTotalAtIntake(intake, 'task.lines', phase === undefined ? undefined : `phase:${phase}`);
}

/** The `sent <n>` line the task prints when it has sent its last datagram. */
export function linesSent(stdout: string): number {
  const match = /^sent (\d+)$/m.exec(stdout);
  if (match === null) throw new Error(`the task printed no "sent <n>" line:\n${stdout}`);
  return Number(match[1]);
}
