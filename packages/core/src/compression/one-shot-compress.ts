/**
 * The largest input a one-shot compression runs on the calling thread. Up to here the work is
 * mostly the codec's setup (zlib allocates and clears ~256 KiB of state per call) plus ~2–5 µs
 * per KiB: ~50–100 µs of event loop on this project's 2-core machines (deflate level 6,
 * JSON-like input), less than the thread-pool hop it replaces costs in CPU (the async call
 * measured ~160–240 µs of CPU there for the same inputs). It also keeps a process that only
 * compresses small bodies (the idle agent: one ~1 KB host-metadata payload) from starting
 * libuv's thread pool at all: four threads and ~0.2 MB of RSS. Larger inputs go to the pool.
 */
export const SYNC_COMPRESS_MAX_BYTES = 16 * 1024;

/** One codec's one-shot calls, as node:zlib has them (`deflateSync` / `deflate`, `gzipSync` / `gzip`, …). */
export interface OneShotCodec<O> {
  readonly sync: (input: Buffer, options: O) => Buffer;
  readonly async: (input: Buffer, options: O, callback: (error: Error | null, result: Buffer) => void) => void;
}

/**
 * Compresses `input` with `codec`: on the calling thread up to {@link SYNC_COMPRESS_MAX_BYTES},
 * on libuv's thread pool above (the one place that decides). Never throws: a codec's failure
 * rejects. The input is not modified and may be read until the promise settles.
 */
export function compressOneShot<O>(codec: OneShotCodec<O>, input: Buffer, options: O): Promise<Buffer> {
  // The executor runs before the constructor returns: compressed by then, a throw a rejection.
  if (input.length <= SYNC_COMPRESS_MAX_BYTES) return new Promise((resolve) => resolve(codec.sync(input, options)));
  return new Promise((resolve, reject) => {
    codec.async(input, options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}
