import { describe, expect, it } from '@jest/globals';
import { youngGenerationHoldCount } from '../src/agent-v8-flags.js';
import { main } from '../src/cli.js';

// `agentkit run`'s loader takes the start-up hold (holdStartFootprint) before the command's
// modules load; a main() that returns without running the agent must not leave V8 held
// (no TurboFan, no Sparkplug, a young generation that cannot grow) for the rest of the process.
function io(): { out: string[]; stdout: (t: string) => void; stderr: (t: string) => void; env: NodeJS.ProcessEnv } {
  const out: string[] = [];
  return { out, stdout: (t) => void out.push(t), stderr: (t) => void out.push(t), env: {} };
}

describe('main: the start-up hold of run', () => {
  it.each([
    [['run', '--help'], 0],
    [['help', 'run'], 0],
    [['run', '--nope'], 2],
    [['run', 'extra-argument'], 2],
  ])('ends it when %j returns without running the agent', async (argv, code) => {
    const streams = io();
    expect(await main(argv, streams)).toBe(code);
    expect(streams.out.join('')).toContain('agentkit run');
    expect(youngGenerationHoldCount()).toBe(0);
  });
});
