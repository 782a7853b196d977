import type { Readable, Writable } from 'node:stream';
import { DropCounter, LOGGER, inject, injectable, settleWithin } from '@agentkit/core';
import type { Logger, TelemetrySnapshot, TelemetrySource } from '@agentkit/core';
import { LOG_PROCESSOR, type LogProcessor } from '../processor/log-processor.def.js';
import type { LogStream } from '../sender/log-sender.def.js';
import type { LogSource, ProgramPipes } from './log-source.def.js';

/** Bytes a mirror may hold unwritten before the program's pipe is paused (the program then waits, as it would on a slow terminal). */
export const MIRROR_PAUSE_BYTES = 1024 * 1024;
/**
 * How long a pipe stays paused on a mirror that does not drain. Past it the pipe is read
 * again: the program must never wait on the wrapper's stdout forever. Its bytes still go to the
 * logs; the mirror's copy is kept up to MIRROR_MAX_BUFFER_BYTES, then counted and dropped.
 */
export const MIRROR_STALL_MS = 2000;
export const MIRROR_MAX_BUFFER_BYTES = 64 * 1024 * 1024;

interface Pipe {
  readonly stream: LogStream;
  readonly readable: Readable;
  readonly mirror: Writable;
  readonly ended: Promise<void>;
  bytes: number;
  chunks: number;
  paused: boolean;
  /** The mirror did not drain within MIRROR_STALL_MS: reading goes on regardless. */
  stalled: boolean;
  /** The logs pipeline stayed full for MIRROR_STALL_MS: reading goes on until it has room again. */
  logsStalled: boolean;
}

/**
 * The LogSource over the program's pipes. Reading never waits for the logs pipeline (the
 * processor takes a chunk synchronously); it waits only, and at most MIRROR_STALL_MS at a
 * time, for the wrapper's own stdout or stderr to take the mirrored bytes.
 */
@injectable()
export class PipeLogSource implements LogSource, TelemetrySource {
  readonly #processor: LogProcessor;
  readonly #log: Logger;
  readonly #drops: DropCounter;
  readonly #pipes: Pipe[] = [];
  /** Times reading paused for the logs pipeline, and times it read on after MIRROR_STALL_MS. */
  #logsPauses = 0;
  #logsStalls = 0;

  public constructor(@inject(LOG_PROCESSOR) processor: LogProcessor, @inject(LOGGER) logger: Logger) {
    this.#processor = processor;
    this.#log = logger.child({ component: 'LogSource' });
    this.#drops = new DropCounter(this.#log);
  }

  public attach(pipes: ProgramPipes): void {
    if (this.#pipes.length > 0) throw new Error('LogSource.attach: already attached');
    this.#pipes.push(this.#read('stdout', pipes.stdout, pipes.mirrorStdout), this.#read('stderr', pipes.stderr, pipes.mirrorStderr));
  }

  /**
   * Reads both pipes to their end (the program has exited; a process it started may still hold
   * them: then until `signal`), hands the last bytes to the processor, and waits for the
   * mirrors to take theirs. What is left is counted: the pipes' unread end, the mirrors' bytes.
   */
  public async onStop(signal: AbortSignal): Promise<void> {
    if (this.#pipes.length === 0) return;
    const read = await settleWithin(Promise.all(this.#pipes.map((p) => p.ended)), signal);
    for (const pipe of this.#pipes) {
      if (!pipe.readable.readableEnded) {
        this.#log.warn({ stream: pipe.stream }, `the program's ${pipe.stream} was still open when the time to read it ran out (a process it started holds it?): what it writes from now on is not read`);
        this.#drops.drop('pipe_still_open', 1, { stream: pipe.stream });
        pipe.readable.destroy();
      }
      this.#processor.end(pipe.stream);
    }
    const mirrored = await settleWithin(Promise.all(this.#pipes.map((p) => drained(p.mirror))), signal);
    if (!mirrored.settled) {
      for (const pipe of this.#pipes) {
        if (pipe.mirror.writableLength > 0) this.#drops.drop('mirror_unwritten_bytes', pipe.mirror.writableLength, { stream: pipe.stream });
      }
    }
    this.#drops.flushLog();
    this.#log.debug({ ...this.telemetry(), readToEnd: read.settled }, 'log source stopped');
  }

  public telemetry(): TelemetrySnapshot {
    const out: Record<string, number> = {};
    let mirrorHeld = 0;
    for (const pipe of this.#pipes) {
      out[`bytes.${pipe.stream}`] = pipe.bytes;
      out[`chunks.${pipe.stream}`] = pipe.chunks;
      mirrorHeld += pipe.mirror.writableLength;
    }
    out['pending_mirror_bytes'] = mirrorHeld;
    out['paused.logs'] = this.#logsPauses;
    out['stalled.logs'] = this.#logsStalls;
    return { ...out, ...this.#drops.snapshot() };
  }

  #read(stream: LogStream, readable: Readable, mirror: Writable): Pipe {
    let resolveEnded!: () => void;
    const ended = new Promise<void>((resolve) => (resolveEnded = resolve));
    const pipe: Pipe = { stream, readable, mirror, ended, bytes: 0, chunks: 0, paused: false, stalled: false, logsStalled: false };
    readable.on('data', (chunk: Buffer) => this.#chunk(pipe, chunk));
    readable.once('end', resolveEnded);
    readable.once('close', resolveEnded);
    readable.on('error', (error) => {
      this.#log.warn({ stream, err: error }, `reading the program's ${stream} failed: what it writes from now on is not read`);
      resolveEnded();
    });
    return pipe;
  }

  #chunk(pipe: Pipe, chunk: Buffer): void {
    pipe.bytes += chunk.length;
    pipe.chunks++;
    const mirror = pipe.mirror;
    if (pipe.stalled && mirror.writableLength === 0) pipe.stalled = false; // caught up again
    if (pipe.stalled && mirror.writableLength > MIRROR_MAX_BUFFER_BYTES) {
      this.#drops.drop('mirror_stalled_bytes', chunk.length, { stream: pipe.stream, heldBytes: mirror.writableLength });
    } else {
      mirror.write(chunk);
    }
    this.#processor.write(pipe.stream, chunk);
    if (pipe.paused) return;
    if (!pipe.stalled && mirror.writableLength > MIRROR_PAUSE_BYTES) return this.#pauseForMirror(pipe);
    const logsRoom = pipe.logsStalled ? undefined : this.#processor.whenReady();
    if (logsRoom !== undefined) this.#pauseForLogs(pipe, logsRoom);
  }

  /** The mirror is behind: the program waits (its pipe fills) until it drains, but not forever. */
  #pauseForMirror(pipe: Pipe): void {
    const onDrain = (): void => resume(false);
    const resume = this.#pause(pipe, () => pipe.mirror.off('drain', onDrain), (stalled) => {
      pipe.stalled = stalled;
      if (stalled) {
        this.#log.warn({ stream: pipe.stream, heldBytes: pipe.mirror.writableLength, stallMs: MIRROR_STALL_MS }, `the wrapper's ${pipe.stream} has not taken its bytes for ${MIRROR_STALL_MS} ms: reading the program on (its logs are still sent)`);
      }
    });
    pipe.mirror.once('drain', onDrain);
  }

  /**
   * The logs pipeline holds as many payloads as it may: the program waits until one is sent,
   * but not forever. Past MIRROR_STALL_MS it is read on (what the pipeline cannot keep, it
   * counts) without pausing again until the pipeline has had room.
   */
  #pauseForLogs(pipe: Pipe, room: Promise<void>): void {
    this.#logsPauses++;
    const resume = this.#pause(pipe, () => undefined, (stalled) => {
      if (!stalled) return;
      pipe.logsStalled = true;
      this.#logsStalls++;
      this.#log.warn({ stream: pipe.stream, stallMs: MIRROR_STALL_MS }, `the logs intake has not taken a payload for ${MIRROR_STALL_MS} ms: reading the program's ${pipe.stream} on (payloads beyond the queue go to the retry queue, which counts what it drops)`);
      void room.then(() => (pipe.logsStalled = false));
    });
    void room.then(() => resume(false));
  }

  /** Pauses `pipe` until the returned resume is called, or MIRROR_STALL_MS (then `stalled`). */
  #pause(pipe: Pipe, cleanUp: () => void, onResume: (stalled: boolean) => void): (stalled: boolean) => void {
    pipe.paused = true;
    pipe.readable.pause();
    let done = false;
    const resume = (stalled: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      cleanUp();
      pipe.paused = false;
      onResume(stalled);
      pipe.readable.resume();
    };
    const timer = setTimeout(() => resume(true), MIRROR_STALL_MS);
    timer.unref();
    return resume;
  }
}

function drained(mirror: Writable): Promise<void> {
  if (mirror.writableLength === 0 || mirror.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      mirror.off('drain', done);
      mirror.off('close', done);
      resolve();
    };
    mirror.on('drain', done);
    mirror.on('close', done);
  });
}
