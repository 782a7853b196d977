import { describe, expect, it } from '@jest/globals';
import { constants } from 'node:os';
import { loadConfig } from '@agentkit/config';
import { allConfigKeys } from '@agentkit/agent';
import type { StageOutcome, StageStop, StopResult } from '@agentkit/core';
import { formatCommand, splitCommandLine, taskCommandOf } from '../packages/agent/src/exec/command-line.js';
import { budgetRanOut, formatPendingWork, pendingAfterStop, pendingBeforeStop } from '../packages/agent/src/exec/pending-work.js';
import { drainReserveMs, ShutdownBudget } from '../packages/agent/src/exec/shutdown-budget.js';
import { exitCodeOf, forwardableSignals } from '../packages/agent/src/exec/signals.js';

// The pure parts of `agentkit exec`; the whole command runs end to end in exec.test.ts.

describe('taskCommandOf', () => {
  it('splits a single argument on whitespace, as serverless-init does', () => {
    expect(taskCommandOf(['  node   server.js --port 8080 '])).toEqual({ file: 'node', args: ['server.js', '--port', '8080'] });
  });

  it('keeps several arguments as they are, spaces included', () => {
    expect(taskCommandOf(['sh', '-c', 'echo a  b'])).toEqual({ file: 'sh', args: ['-c', 'echo a  b'] });
  });

  it('is undefined for no command (sidecar mode) and for a blank one', () => {
    expect(taskCommandOf([])).toBeUndefined();
    expect(taskCommandOf(['   '])).toBeUndefined();
  });

  it('formats a command for logs, quoting words a reader could not tell apart', () => {
    expect(formatCommand({ file: 'sh', args: ['-c', 'echo a  b'] })).toBe('sh -c "echo a  b"');
  });
});

describe('splitCommandLine', () => {
  const options = { config: { type: 'string', short: 'c' }, help: { type: 'boolean', short: 'h' } } as const;

  it("gives the program everything from its name on, even options agentkit also has", () => {
    expect(splitCommandLine(['python', '-c', 'print(1)', '--help'], options)).toEqual({ own: [], command: ['python', '-c', 'print(1)', '--help'] });
  });

  it("reads agentkit's own options before the command, with their values", () => {
    expect(splitCommandLine(['-c', 'a.yaml', 'node', 'x.js'], options)).toEqual({ own: ['-c', 'a.yaml'], command: ['node', 'x.js'] });
    expect(splitCommandLine(['--config', 'a.yaml', 'node'], options)).toEqual({ own: ['--config', 'a.yaml'], command: ['node'] });
    expect(splitCommandLine(['--config=a.yaml', '-h', 'node'], options)).toEqual({ own: ['--config=a.yaml', '-h'], command: ['node'] });
  });

  it('splits at -- and drops it', () => {
    expect(splitCommandLine(['-c', 'a.yaml', '--', '-weird-name', '--'], options)).toEqual({ own: ['-c', 'a.yaml'], command: ['-weird-name', '--'] });
  });

  it('has no command for sidecar mode, and leaves unknown options to the parser', () => {
    expect(splitCommandLine(['--config', 'a.yaml'], options)).toEqual({ own: ['--config', 'a.yaml'], command: [] });
    expect(splitCommandLine(['--nope', 'node'], options)).toEqual({ own: ['--nope'], command: ['node'] });
  });
});

describe('exitCodeOf', () => {
  it('passes a code through and maps a signal death to 128 + its number', () => {
    expect(exitCodeOf(0, null)).toBe(0);
    expect(exitCodeOf(3, null)).toBe(3);
    expect(exitCodeOf(null, 'SIGKILL')).toBe(128 + constants.signals.SIGKILL);
    expect(exitCodeOf(null, 'SIGTERM')).toBe(128 + constants.signals.SIGTERM);
  });
});

describe('forwardableSignals', () => {
  const signals = forwardableSignals();

  it('includes the signals a program is told to stop or reload with', () => {
    expect(signals).toEqual(expect.arrayContaining(['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2']));
  });

  it('leaves out SIGCHLD, the uncatchable ones, and the wrapper\'s own faults', () => {
    for (const name of ['SIGCHLD', 'SIGKILL', 'SIGSTOP', 'SIGSEGV', 'SIGBUS', 'SIGFPE', 'SIGILL', 'SIGPIPE']) expect(signals).not.toContain(name);
  });

  it('lists each signal number once, so no delivery is forwarded twice (SIGIOT is SIGABRT)', () => {
    const numbers = signals.map((s) => constants.signals[s]);
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it('can listen to every one of them on this platform', () => {
    const listener = (): void => undefined;
    for (const signal of signals) {
      process.on(signal, listener);
      process.off(signal, listener);
    }
  });
});

describe('the shutdown budget', () => {
  it('keeps the stages\' own stop limits for the drain, at most half the budget', () => {
    const config = loadConfig({ keys: allConfigKeys, env: { DD_DOGSTATSD_DRAIN_TIMEOUT_MS: '500', DD_AGGREGATOR_STOP_TIMEOUT: '1', DD_FORWARDER_STOP_TIMEOUT: '1.5' } });
    expect(drainReserveMs(config, 9500)).toBe(3000);
    expect(drainReserveMs(config, 2000)).toBe(1000);
  });

  it('counts down from its start only, and leaves the program what the reserve does not need', async () => {
    const budget = new ShutdownBudget(1000, 400);
    expect(budget.remainingMs()).toBe(1000);
    expect(budget.untilKillMs()).toBe(600);
    budget.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(budget.remainingMs()).toBeLessThan(1000);
    expect(budget.untilKillMs()).toBeLessThan(600);
  });

  it('never claims more than the whole budget for the drain', () => {
    const budget = new ShutdownBudget(1000, 5000);
    expect(budget.reserveMs).toBe(1000);
    expect(budget.untilKillMs()).toBe(0);
  });
});

describe('the pending-work report', () => {
  const order = ['Forwarder', 'Serializer', 'Demultiplexer', 'DogstatsdServer', 'UdpListener', 'ForwarderClock'];
  const telemetry = {
    Forwarder: { 'queue.high': 2, 'queue.low': 0, inflight: 1, 'transactions.sent': 40, 'dropped.queue_full': 3 },
    Serializer: { items: 10 },
    Demultiplexer: { buckets: 2, contexts: 7, pending_serializer_items: 0 },
    DogstatsdServer: { queue_depth: 0, queue_full: 5 },
    UdpListener: { kernel_queue_bytes: 0, packets: 100 },
  };

  it('before the drain, names only the stages holding something, and only their pending gauges', () => {
    const stages = pendingBeforeStop(order, telemetry);
    expect(stages).toEqual([
      { component: 'Forwarder', stop: 'not started', pending: { 'queue.high': 2, inflight: 1 } },
      { component: 'Demultiplexer', stop: 'not started', pending: { buckets: 2 } },
    ]);
    expect(formatPendingWork(stages)).toBe('Forwarder (stop not started): queue.high=2, inflight=1; Demultiplexer (stop not started): buckets=2');
  });

  it("after the drain, reads core's stop result: the stages whose time ran out, failed, or still hold something", () => {
    const stage = (component: string, outcome: StageOutcome, limitedBy: 'own' | 'budget', pending: Record<string, number> = {}): StageStop => ({
      component,
      outcome,
      hasHook: true,
      durationMs: 1,
      shareMs: 1,
      limitedBy,
      pending,
    });
    const result: StopResult = {
      budgetMs: 1000,
      durationMs: 1000,
      stages: [stage('UdpListener', 'done', 'own'), stage('Demultiplexer', 'failed', 'own'), stage('Serializer', 'done', 'budget', { queue_depth: 1 }), stage('Forwarder', 'cut', 'own', { inflight: 1 })],
      unfinished: [],
      cut: ['Forwarder'],
      failed: ['Demultiplexer'],
      errors: [],
    };
    expect(formatPendingWork(pendingAfterStop(result))).toBe('Demultiplexer (stop failed); Serializer (stop done): queue_depth=1; Forwarder (stop running): inflight=1');
    // Cut at its own limit: the budget did not run out.
    expect(budgetRanOut(result)).toBe(false);
    expect(budgetRanOut({ ...result, stages: [stage('Forwarder', 'unfinished', 'budget', { inflight: 1 })] })).toBe(true);
  });

  it('says nothing is pending when nothing is', () => {
    expect(formatPendingWork(pendingBeforeStop(order, {}))).toBe('nothing');
  });
});
