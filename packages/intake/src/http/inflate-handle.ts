import zlib from 'node:zlib';
import { SerializerError, SerializerErrorCode } from '@agentkit/serializer';

/**
 * The native zlib handle behind node:zlib's streams, as Node 20's lib/zlib.js drives it (the
 * class is `createInflate()._handle.constructor`, i.e. `internalBinding('zlib').Zlib`). Private
 * API: {@link handleInflateAvailable} says whether this runtime has it in this shape, and a test
 * fails when it does not, so a Node upgrade that changes it is seen (the stream stays the fallback).
 */
interface ZlibHandle {
  init(windowBits: number, level: number, memLevel: number, strategy: number, writeState: Uint32Array, processCallback: () => void, dictionary: undefined): unknown;
  write(flush: number, input: Buffer, inOff: number, inLen: number, output: Buffer, outOff: number, outLen: number): void;
  reset(): void;
  close(): void;
  onerror: (message: string, errno: number, code?: string) => void;
}
type ZlibHandleClass = new (mode: number) => ZlibHandle;

/** The encodings inflated here, and node:zlib's mode number for each (`zlib.constants.INFLATE`, `GUNZIP`). */
const MODES: Readonly<Record<string, number>> = { deflate: zlib.constants.INFLATE, gzip: zlib.constants.GUNZIP };

/**
 * The inflate's output piece. Each piece is decoded (its whole items) before the next is made,
 * so this, with the largest item cut by a piece's end, is what a payload costs while it is read;
 * zlib's default (16 KiB) would take four times the thread-pool round trips.
 */
export const INFLATE_CHUNK_BYTES = 64 * 1024;

/** Idle inflaters kept per encoding: about the requests a flush has in flight at once. */
const IDLE_KEPT = 4;

/**
 * Node majors whose lib/zlib.js was read for this file (Node 20.20: `init(windowBits, level,
 * memLevel, strategy, writeState, processCallback, dictionary)`, `write(flush, in, inOff, inLen,
 * out, outOff, outLen)`, `onerror(message, errno, code)`). Only these use the handle: the
 * native side checks its arguments with CHECKs that abort the process rather than throw, so a
 * changed signature cannot be caught here. Another major takes the stream until it is checked
 * and added (and inflate-handle.test.ts fails on it until then).
 */
const CHECKED_NODE_MAJORS: readonly number[] = [20];

/** The handle class, when this runtime's node:zlib has the shape this file drives; else undefined. */
function findHandleClass(): ZlibHandleClass | undefined {
  if (!CHECKED_NODE_MAJORS.includes(Number(process.versions.node.split('.')[0]))) return undefined;
  try {
    const probe = zlib.createInflate();
    const handle = (probe as unknown as { _handle?: object })._handle;
    probe.close();
    const proto = handle === undefined ? undefined : (Object.getPrototypeOf(handle) as Partial<ZlibHandle> | null);
    const ok = proto !== null && proto !== undefined && [proto.init, proto.write, proto.reset, proto.close].every((f) => typeof f === 'function');
    return ok ? ((handle as { constructor: ZlibHandleClass }).constructor) : undefined;
  } catch {
    return undefined;
  }
}

let handleClass: ZlibHandleClass | undefined | null = null;

/** True when deflate and gzip bodies are inflated through the native handle into reused buffers (else the public stream does it). */
export function handleInflateAvailable(): boolean {
  if (handleClass === null) handleClass = findHandleClass();
  return handleClass !== undefined;
}

/** One run's state: the body being inflated and where its output goes. */
interface Run {
  readonly input: Buffer;
  readonly encoding: string;
  readonly onChunk: (chunk: Buffer) => void;
  readonly maxOutputBytes: number;
  readonly resolve: (bytes: number) => void;
  readonly reject: (error: Error) => void;
  inOff: number;
  bytes: number;
}

/**
 * A native zlib handle with its own output buffer, reused from payload to payload (`reset()`
 * between them): every piece of every payload it inflates is a view of that one buffer, so the
 * intake's inflating allocates nothing per piece. (node:zlib's stream allocates a fresh
 * `chunkSize` Buffer per piece, freed only at V8's next scavenge, and cannot be given one.)
 * Each `write` is one thread-pool job filling the buffer; the piece is handed to `onChunk`
 * synchronously in the job's callback and the next job is only queued after it returns.
 */
class HandleInflater {
  readonly #mode: number;
  readonly #handle: ZlibHandle;
  readonly #state = new Uint32Array(2);
  readonly #output: Buffer;
  #run: Run | undefined;
  /** Set once an error was seen on the handle: it is closed, never reused. */
  #broken = false;

  public constructor(handleClassFound: ZlibHandleClass, mode: number) {
    this.#mode = mode;
    this.#output = Buffer.allocUnsafeSlow(INFLATE_CHUNK_BYTES);
    this.#handle = new handleClassFound(mode);
    this.#handle.onerror = (message, errno, code) => {
      // The cause as node:zlib's stream gives it (its message, errno and code, e.g. Z_DATA_ERROR).
      const cause = Object.assign(new Error(message), { errno, code });
      this.#fail(new SerializerError(SerializerErrorCode.Decode, `cannot decompress a ${this.#run?.encoding ?? 'compressed'} body: ${message}`, { cause }));
    };
    // As lib/zlib.js's Zlib() does for inflate and gunzip: window size from the stream's header.
    this.#handle.init(0, zlib.constants.Z_DEFAULT_COMPRESSION, zlib.constants.Z_DEFAULT_MEMLEVEL, zlib.constants.Z_DEFAULT_STRATEGY, this.#state, () => this.#afterWrite(), undefined);
  }

  public get mode(): number {
    return this.#mode;
  }

  public get broken(): boolean {
    return this.#broken;
  }

  /** Inflates `input` (one whole body: written with Z_FINISH) piece by piece; resolves with the bytes inflated. */
  public inflate(input: Buffer, encoding: string, onChunk: (chunk: Buffer) => void, maxOutputBytes: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#run = { input, encoding, onChunk, maxOutputBytes, resolve, reject, inOff: 0, bytes: 0 };
      this.#write();
    });
  }

  /** Ready for the next payload. */
  public reset(): void {
    this.#handle.reset();
  }

  public close(): void {
    this.#handle.close();
  }

  #write(): void {
    const run = this.#run as Run;
    this.#handle.write(zlib.constants.Z_FINISH, run.input, run.inOff, run.input.length - run.inOff, this.#output, 0, this.#output.length);
  }

  /** The thread-pool job's callback (`#state`: output space and input left after it). */
  #afterWrite(): void {
    const run = this.#run;
    if (run === undefined) return;
    const availOut = this.#state[0] as number;
    const availIn = this.#state[1] as number;
    const have = this.#output.length - availOut;
    run.inOff = run.input.length - availIn;
    if (have > 0) {
      run.bytes += have;
      if (run.bytes > run.maxOutputBytes) {
        this.#fail(`cannot decompress a ${run.encoding} body: it inflates past ${run.maxOutputBytes} bytes`);
        return;
      }
      try {
        run.onChunk(this.#output.subarray(0, have));
      } catch (error) {
        this.#fail(error as Error);
        return;
      }
    }
    // A full buffer: zlib has more to give. Otherwise the stream ended (trailing bytes are ignored, as the stream does).
    if (availOut === 0) {
      this.#write();
      return;
    }
    this.#run = undefined;
    run.resolve(run.bytes);
  }

  #fail(reason: string | Error): void {
    const run = this.#run;
    this.#run = undefined;
    this.#broken = true;
    if (run === undefined) return;
    run.reject(typeof reason === 'string' ? new SerializerError(SerializerErrorCode.Decode, reason) : reason);
  }
}

const idle = new Map<number, HandleInflater[]>();

/**
 * Inflates a `deflate` or `gzip` body through a pooled {@link HandleInflater}: `onChunk` gets
 * views of the inflater's one output buffer (synchronously; it must not keep them). Undefined
 * when the encoding is not one of these or the runtime lacks the handle; the caller then uses
 * node:zlib's stream. Rejects as `inflateChunks` documents (same messages).
 */
export function inflateThroughHandle(body: Buffer, encoding: string, onChunk: (chunk: Buffer) => void, maxOutputBytes: number): Promise<number> | undefined {
  const mode = MODES[encoding];
  if (mode === undefined || !handleInflateAvailable()) return undefined;
  const inflater = idle.get(mode)?.pop() ?? new HandleInflater(handleClass as ZlibHandleClass, mode);
  return inflater.inflate(body, encoding, onChunk, maxOutputBytes).finally(() => release(inflater));
}

function release(inflater: HandleInflater): void {
  const kept = idle.get(inflater.mode) ?? [];
  idle.set(inflater.mode, kept);
  if (!inflater.broken && kept.length < IDLE_KEPT) inflater.reset();
  if (inflater.broken || kept.length >= IDLE_KEPT) inflater.close();
  else kept.push(inflater);
}
