import { describe, expect, it } from '@jest/globals';
import { createTestApp } from '@agentkit/core/testing';
import { FakeLogSender, fakeLogSenderBundle, LOG_PROCESSOR, logProcessorBundle, MULTILINE_WINDOW_MS, type LogProcessor } from '@agentkit/logs';

async function processor(): Promise<{ processor: LogProcessor; sender: FakeLogSender; stop: () => Promise<unknown> }> {
  const sender = new FakeLogSender();
  const app = createTestApp([logProcessorBundle, fakeLogSenderBundle(sender)]);
  await app.start();
  return { processor: app.get(LOG_PROCESSOR), sender, stop: () => app.stop() };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(10);
  }
}

describe('MultilineLogProcessor', () => {
  it('makes one log per line: stdout info, stderr error', async () => {
    const { processor: p, sender, stop } = await processor();
    p.write('stdout', Buffer.from('hello\nworld\n'));
    p.write('stderr', Buffer.from('oops\n'));
    await stop();
    expect(sender.entries.map((e) => [e.message, e.status, e.stream])).toEqual([
      ['hello', 'info', 'stdout'],
      ['world', 'info', 'stdout'],
      ['oops', 'error', 'stderr'],
    ]);
    expect(sender.stopped).toBe(true);
  });

  it('joins a stack trace (lines starting with whitespace or "at ") to the line before it', async () => {
    const { processor: p, sender, stop } = await processor();
    const trace = 'Error: boom\n    at f (/app/a.js:1:2)\n    at g (/app/b.js:3:4)\nat h (/app/c.js:5:6)\n\tcaused by x';
    p.write('stderr', Buffer.from(`before\n${trace}\nafter\n`));
    await stop();
    expect(sender.messages()).toEqual(['before', trace, 'after']);
  });

  it('does not join a continuation line that comes after the window', async () => {
    const { processor: p, sender, stop } = await processor();
    p.write('stdout', Buffer.from('first\n'));
    // Handed over once its window passed, without waiting for the next line (polled: a loaded machine runs timers late).
    await until(() => sender.entries.length > 0);
    expect(sender.messages()).toEqual(['first']);
    await sleep(MULTILINE_WINDOW_MS * 2);
    p.write('stdout', Buffer.from('  indented, but late\n'));
    await stop();
    expect(sender.messages()).toEqual(['first', '  indented, but late']);
  });

  it('sends a JSON line as its attributes, with its own level as the status', async () => {
    const { processor: p, sender, stop } = await processor();
    p.write('stdout', Buffer.from('{"level":"error","message":"db down","user":7}\n{"level":50,"msg":"pino error"}\n{"status":"warning"}\n'));
    p.write('stderr', Buffer.from('{"level":"info","message":"fine"}\n{"not":"a level"}\n[1,2]\n'));
    await stop();
    // In order within each stream (a stream's last log waits for its window or the stop).
    const of = (stream: string): string[][] => sender.entries.filter((e) => e.stream === stream).map((e) => [e.message, e.status]);
    expect(of('stdout')).toEqual([
      ['db down', 'error'],
      ['pino error', 'error'],
      ['{"status":"warning"}', 'warn'],
    ]);
    expect(of('stderr')).toEqual([
      ['fine', 'info'],
      ['{"not":"a level"}', 'error'],
      ['[1,2]', 'error'],
    ]);
    expect(sender.entries[0]?.attributes).toEqual({ level: 'error', message: 'db down', user: 7 });
    expect(sender.entries[5]?.attributes).toBeUndefined();
  });

  it('hands over a last line without a newline at the stop, and counts what it read', async () => {
    const { processor: p, sender, stop } = await processor();
    p.write('stdout', Buffer.from('a\n\nb-without-newline'));
    const app = p as unknown as { telemetry(): Record<string, number> };
    expect(app.telemetry()).toMatchObject({ 'lines.read': 2, 'lines.empty': 1, pending_bytes: 17 });
    await stop();
    expect(sender.messages()).toEqual(['a', 'b-without-newline']);
    expect(app.telemetry()).toMatchObject({ 'lines.read': 3, logs: 2, pending_bytes: 0, pending_lines: 0 });
  });
});
