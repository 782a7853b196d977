import { describe, expect, it } from '@jest/globals';
import { PassThrough, Writable } from 'node:stream';
import { createTestApp } from '@agentkit/core/testing';
import { FakeLogProcessor, fakeLogProcessorBundle, LOG_SOURCE, logSourceBundle, MIRROR_PAUSE_BYTES, MIRROR_STALL_MS } from '@agentkit/logs';

/** A mirror that keeps what it is given; `stuck` makes it never finish a write (a reader that stopped reading). */
class Mirror extends Writable {
  public readonly chunks: Buffer[] = [];
  public stuck = false;
  public constructor() {
    super({ highWaterMark: 16 * 1024 });
  }
  public override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    this.chunks.push(Buffer.from(chunk));
    if (!this.stuck) callback();
  }
  public bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

async function source() {
  const processor = new FakeLogProcessor();
  const app = createTestApp([logSourceBundle, fakeLogProcessorBundle(processor)]);
  await app.start();
  const pipes = { stdout: new PassThrough(), stderr: new PassThrough(), mirrorStdout: new Mirror(), mirrorStderr: new Mirror() };
  app.get(LOG_SOURCE).attach(pipes);
  return { app, processor, pipes };
}

describe('PipeLogSource', () => {
  it('mirrors each chunk unchanged and hands the same bytes to the processor, per stream; the stop reads the pipes to their end', async () => {
    const { app, processor, pipes } = await source();
    pipes.stdout.write('out 1\n');
    pipes.stderr.write(Buffer.from([0xff, 0x00, 0x0a]));
    pipes.stdout.write('out 2 (no newline)');
    // The program has exited: its pipes end a little later, and the stop waits for that.
    const stopped = app.stop();
    setTimeout(() => {
      pipes.stdout.end('tail\n');
      pipes.stderr.end();
    }, 50);
    await stopped;
    expect(pipes.mirrorStdout.bytes().toString()).toBe('out 1\nout 2 (no newline)tail\n');
    expect(pipes.mirrorStderr.bytes()).toEqual(Buffer.from([0xff, 0x00, 0x0a]));
    expect(processor.bytesOf('stdout')).toEqual(pipes.mirrorStdout.bytes());
    expect(processor.bytesOf('stderr')).toEqual(pipes.mirrorStderr.bytes());
    expect([...processor.ended].sort()).toEqual(['stderr', 'stdout']);
    expect(app.telemetry()['LogSource']).toMatchObject({ 'bytes.stdout': 29, 'bytes.stderr': 3, pending_mirror_bytes: 0 });
  });

  it('pauses the program while the mirror is behind, and reads on after MIRROR_STALL_MS when it never catches up (its logs still go out)', async () => {
    const { app, processor, pipes } = await source();
    pipes.mirrorStdout.stuck = true;
    const block = Buffer.alloc(MIRROR_PAUSE_BYTES + 1, 'a');
    pipes.stdout.write(block);
    await new Promise((r) => setImmediate(r));
    expect(pipes.stdout.isPaused()).toBe(true);
    pipes.stdout.write('after the stall\n');
    const pausedAt = Date.now();
    // Polled, not a fixed wait: a loaded machine runs timers late.
    while (pipes.stdout.isPaused() && Date.now() - pausedAt < MIRROR_STALL_MS * 5) await new Promise((r) => setTimeout(r, 20));
    expect(pipes.stdout.isPaused()).toBe(false);
    expect(processor.bytesOf('stdout').toString().endsWith('after the stall\n')).toBe(true);
    pipes.stdout.end();
    pipes.stderr.end();
    await app.stop({ timeoutMs: 300 }).catch(() => undefined);
    // What the stuck mirror still held at the end is counted, never silent.
    expect(app.telemetry()['LogSource']?.['dropped.mirror_unwritten_bytes']).toBeGreaterThan(0);
  });

  it('pauses the program while the logs pipeline is full, and reads on once it has room', async () => {
    const { app, processor, pipes } = await source();
    let room!: () => void;
    processor.full = new Promise<void>((resolve) => (room = resolve));
    pipes.stdout.write('first\n');
    await new Promise((r) => setImmediate(r));
    expect(pipes.stdout.isPaused()).toBe(true);
    pipes.stdout.write('second\n');
    await new Promise((r) => setImmediate(r));
    expect(processor.bytesOf('stdout').toString()).toBe('first\n');
    processor.full = undefined;
    room();
    await new Promise((r) => setTimeout(r, 10));
    expect(pipes.stdout.isPaused()).toBe(false);
    expect(processor.bytesOf('stdout').toString()).toBe('first\nsecond\n');
    pipes.stdout.end();
    pipes.stderr.end();
    await app.stop();
    expect(app.telemetry()['LogSource']).toMatchObject({ 'paused.logs': 1, 'stalled.logs': 0 });
  });

  it('reads on after MIRROR_STALL_MS when the logs pipeline stays full, and does not pause again until it had room', async () => {
    const { app, processor, pipes } = await source();
    let room!: () => void;
    processor.full = new Promise<void>((resolve) => (room = resolve));
    pipes.stdout.write('first\n');
    await new Promise((r) => setImmediate(r));
    const pausedAt = Date.now();
    while (pipes.stdout.isPaused() && Date.now() - pausedAt < MIRROR_STALL_MS * 5) await new Promise((r) => setTimeout(r, 20));
    expect(pipes.stdout.isPaused()).toBe(false);
    pipes.stdout.write('while still full\n');
    await new Promise((r) => setImmediate(r));
    expect(pipes.stdout.isPaused()).toBe(false);
    expect(processor.bytesOf('stdout').toString()).toBe('first\nwhile still full\n');
    expect(app.telemetry()['LogSource']).toMatchObject({ 'paused.logs': 1, 'stalled.logs': 1 });
    // Once it had room, a full pipeline pauses the program again.
    room();
    await new Promise((r) => setImmediate(r));
    processor.full = new Promise<void>(() => undefined);
    pipes.stdout.write('full again\n');
    await new Promise((r) => setImmediate(r));
    expect(pipes.stdout.isPaused()).toBe(true);
    expect(app.telemetry()['LogSource']).toMatchObject({ 'paused.logs': 2 });
    processor.full = undefined;
    pipes.stdout.end();
    pipes.stderr.end();
    await app.stop({ timeoutMs: MIRROR_STALL_MS * 3 }).catch(() => undefined);
    expect(processor.bytesOf('stdout').toString()).toBe('first\nwhile still full\nfull again\n');
  }, 20_000);

  it('gives up on a pipe still open at the end of its share (a process the program started holds it), and counts it', async () => {
    const { app, processor, pipes } = await source();
    pipes.stdout.write('last words\n');
    pipes.stderr.end();
    await app.stop({ timeoutMs: 300 }).catch(() => undefined);
    expect(processor.bytesOf('stdout').toString()).toBe('last words\n');
    expect(processor.ended.has('stdout')).toBe(true);
    expect(app.telemetry()['LogSource']).toMatchObject({ 'dropped.pipe_still_open': 1 });
  });
});
