import { fork, spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isSea } from 'node:sea';
import { fileURLToPath } from 'node:url';
import type { ParserPreference, SourceParser } from '../parser.js';
import { PARSER_PROCESS_ENV, parserArgument, type ChildMessage, type ExtractReply, type ExtractRequest } from './protocol.js';

/**
 * The parser process's V8 settings. A 1 MiB semi-space makes V8 collect the young generation
 * every few files, and a collection is what frees oxc-parser's native memory (its results are
 * released by finalizers): with Node's default 16 MiB, that memory piles up between collections.
 */
const CHILD_EXEC_ARGV = ['--max-semi-space-size=1'];
/** One file's outcome as the parent gets it: an extracted scope's JSON as bytes. */
export type ChildFileResult =
  | { readonly ok: true; readonly relativePath: string; readonly json: Buffer; readonly scopeCount: number; readonly rssBytes: number }
  | { readonly ok: false; readonly reason: 'failed' | 'unsupported'; readonly message: string; readonly rssBytes: number };

interface PendingRequest {
  readonly resolve: (result: ChildFileResult) => void;
  readonly reject: (error: Error) => void;
}

/** How long an exited process's stdout may take to end before its pending requests fail. */
const EXIT_DRAIN_MS = 200;
/** What the child may write to stderr that is kept for the error message (a crash's trace). */
const STDERR_KEPT_BYTES = 4096;

/**
 * Where the child's entry is. From the compiled package it sits next to this module; the
 * tests run this file from src/ (TypeScript), so they use the compiled entry in dist/.
 */
export function defaultChildEntry(): string {
  const here = fileURLToPath(new URL('./parser-child-main.js', import.meta.url));
  if (existsSync(here)) return here;
  return here.replace(/([\\/])src([\\/])(?!.*[\\/]src[\\/])/, '$1dist$2');
}

/** A parser process could not start (no Node to fork, no entry, no parser in it). */
export class ParserChildStartError extends Error {
  public override readonly name = 'ParserChildStartError';
}

/**
 * One parser process: answers `extract` requests in order. When the process dies (a crash or
 * an out-of-memory on one file), every request in flight rejects: the oldest is the file it
 * died on; the caller starts another process.
 */
export class ParserChild {
  readonly #child: ChildProcess;
  readonly #exited: Promise<string>;
  /** Requests sent and not answered, oldest first (the child answers in order). */
  readonly #pending: PendingRequest[] = [];
  #stderr = '';
  /** What the child wrote to stdout and no reply has claimed yet: at most one file's JSON. */
  readonly #out: Buffer[] = [];
  #outBytes = 0;
  /** Replies not yet matched with their request and bytes, oldest first. */
  readonly #replies: ExtractReply[] = [];
  public peakRssBytes = 0;

  private constructor(child: ChildProcess) {
    this.#child = child;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      this.#stderr = (this.#stderr + text).slice(-STDERR_KEPT_BYTES);
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      this.#out.push(chunk);
      this.#outBytes += chunk.length;
      this.#settle();
    });
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        let settled = false;
        const settle = (): void => {
          if (settled) return;
          settled = true;
          const why = `the parser process exited (${signal ?? `code ${String(code)}`})${this.#stderr === '' ? '' : `: ${lastLine(this.#stderr)}`}`;
          for (const pending of this.#pending.splice(0)) pending.reject(new Error(why));
          resolve(why);
        };
        // What the process wrote before it exited may still be in the pipe: read it first
        // (its stdout's end), but not for long ('close' does not always come).
        const out = child.stdout;
        if (out === null || out.readableEnded) return settle();
        const timer = setTimeout(settle, EXIT_DRAIN_MS);
        out.once('end', () => {
          clearTimeout(timer);
          settle();
        });
      });
    });
    child.on('message', (message: ChildMessage) => {
      if (message.type !== 'file') return;
      this.peakRssBytes = Math.max(this.peakRssBytes, message.rssBytes);
      this.#replies.push(message);
      this.#settle();
    });
  }

  /** Resolves the oldest requests whose reply and (for a scope) all bytes are here. */
  #settle(): void {
    for (;;) {
      const reply = this.#replies[0];
      if (reply === undefined || this.#pending.length === 0) return;
      if (reply.ok && this.#outBytes < reply.jsonBytes) return;
      this.#replies.shift();
      const pending = this.#pending.shift() as PendingRequest;
      if (!reply.ok) {
        pending.resolve(reply);
        continue;
      }
      const { relativePath, scopeCount, rssBytes } = reply;
      pending.resolve({ ok: true, relativePath, scopeCount, rssBytes, json: this.#take(reply.jsonBytes) });
    }
  }

  #take(n: number): Buffer {
    const first = this.#out[0];
    if (first !== undefined && first.length === n) {
      this.#out.shift();
      this.#outBytes -= n;
      return first;
    }
    const all = Buffer.concat(this.#out, this.#outBytes);
    this.#out.length = 0;
    this.#outBytes = all.length - n;
    // Anything after `n` belongs to the next reply.
    if (this.#outBytes > 0) this.#out.push(all.subarray(n));
    return all.subarray(0, n);
  }

  /**
   * Starts a parser process and waits until its parser is loaded: `entry` forked under this
   * Node, or, by default in the single executable (which has no entry file), the executable itself.
   */
  public static async start(preference: ParserPreference, entry?: string): Promise<{ child: ParserChild; parser: SourceParser['name']; fallbackReason?: string }> {
    const self = entry === undefined && isSea();
    const path = entry ?? defaultChildEntry();
    // Checked first: forking `process.execPath` with a missing entry would run whatever the
    // executable is (a single-executable agentkit would take the entry for its arguments).
    if (!self && !existsSync(path)) throw new ParserChildStartError(`the parser process's entry ${path} is not there`);
    let forked: ChildProcess;
    try {
      forked = self ? spawnSelf(preference) : fork(path, parserArgument(preference), { execArgv: CHILD_EXEC_ARGV, ...CHILD_STDIO });
    } catch (error) {
      throw new ParserChildStartError(`cannot start the parser process: ${String(error)}`, { cause: error });
    }
    const child = new ParserChild(forked);
    const ready = await new Promise<ChildMessage | Error>((resolve) => {
      forked.once('error', (error) => resolve(error));
      forked.on('message', (message: ChildMessage) => {
        if (message.type === 'ready' || message.type === 'start-failed') resolve(message);
      });
      void child.#exited.then((why) => resolve(new Error(why)));
    });
    if (ready instanceof Error || ready.type !== 'ready') {
      child.close();
      const why = ready instanceof Error ? ready.message : ready.type === 'start-failed' ? ready.message : 'no ready message';
      throw new ParserChildStartError(`the parser process did not start: ${why}`);
    }
    return { child, parser: ready.parser, ...(ready.fallbackReason === undefined ? {} : { fallbackReason: ready.fallbackReason }) };
  }

  /**
   * Extracts one file; rejects only when the process dies first. Several may be in flight:
   * the process works through them in order, and they settle in that order.
   */
  public extract(root: string, path: string): Promise<ChildFileResult> {
    return new Promise((resolve, reject) => {
      if (!this.#child.connected) return reject(new Error('the parser process is gone'));
      this.#pending.push({ resolve, reject });
      const request: ExtractRequest = { type: 'extract', root, path };
      this.#child.send(request, (error) => {
        if (error !== null) reject(error);
      });
    });
  }

  /** Lets the process go (it exits when its channel closes); a stuck one is killed. Idempotent. */
  public close(): void {
    if (this.#child.connected) this.#child.disconnect();
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      // An answer in progress finishes; a process that outlives its channel by a second is stuck.
      setTimeout(() => this.#child.kill('SIGKILL'), 1000).unref();
    }
  }

  /** Resolves once the process has exited. */
  public async exited(): Promise<void> {
    await this.#exited;
  }
}

/** Pipes for the bytes and the logs, a channel for the messages (`fork`'s, made explicit for `spawn`). */
const CHILD_STDIO: { stdio: StdioOptions; serialization: 'json' } = { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'json' };

/**
 * The single executable as a parser process: its main script (scripts/binary/sea-main.cjs)
 * sees {@link PARSER_PROCESS_ENV} and runs the parser's entry, embedded, instead of the CLI.
 * Not `fork`: the executable would take a module path for the CLI's first argument. It reads
 * no V8 options from its command line (they are the CLI's arguments): NODE_OPTIONS carries them.
 */
function spawnSelf(preference: ParserPreference): ChildProcess {
  const nodeOptions = [process.env.NODE_OPTIONS, ...CHILD_EXEC_ARGV].filter((o) => o !== undefined && o !== '').join(' ');
  return spawn(process.execPath, parserArgument(preference), { ...CHILD_STDIO, env: { ...process.env, NODE_OPTIONS: nodeOptions, [PARSER_PROCESS_ENV]: '1' } });
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return (lines[lines.length - 1] ?? '').slice(0, 300);
}
