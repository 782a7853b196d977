import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { constants, createGzip, type Gzip } from 'node:zlib';
import { SymdbEncodeError } from '../errors.js';

/**
 * One batch's gzip stream and the compressed bytes it has produced so far (the replayable
 * file part). Counts what it may still produce: `emittedAtSync` is exact after a sync flush,
 * `pendingBytes` is the uncompressed input written since.
 */
export class OpenBatch {
  public readonly chunks: Buffer[] = [];
  /** Compressed bytes emitted so far. */
  public emittedBytes = 0;
  /** Compressed bytes emitted at the last sync flush: everything written before it is in there. */
  public emittedAtSyncBytes = 0;
  /** Uncompressed bytes written since the last sync flush. */
  public pendingBytes = 0;
  public scopeCount = 0;
  public syncFlushes = 0;
  readonly #gzip: Gzip;
  readonly #failure: Promise<never>;

  public constructor(public readonly batchNum: number) {
    this.#gzip = createGzip();
    this.#gzip.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.emittedBytes += chunk.length;
    });
    this.#failure = new Promise<never>((_, reject) => {
      this.#gzip.once('error', (error) => reject(new SymdbEncodeError(`gzip failed: ${error.message}`, { cause: error })));
    });
    this.#failure.catch(() => {}); // observed by whichever operation races it
  }

  public async write(bytes: Buffer): Promise<void> {
    this.pendingBytes += bytes.length;
    if (!this.#gzip.write(bytes)) await Promise.race([once(this.#gzip, 'drain'), this.#failure]);
  }

  /** Z_SYNC_FLUSH (never the default Z_FULL_FLUSH, which resets the dictionary): makes the count exact. */
  public async syncFlush(): Promise<void> {
    await Promise.race([new Promise<void>((resolve) => this.#gzip.flush(constants.Z_SYNC_FLUSH, () => resolve())), this.#failure]);
    this.emittedAtSyncBytes = this.emittedBytes;
    this.pendingBytes = 0;
    this.syncFlushes++;
  }

  /** Writes the last bytes and waits for the gzip trailer. */
  public async finish(last: Buffer): Promise<void> {
    this.pendingBytes += last.length;
    this.#gzip.end(last);
    await Promise.race([finished(this.#gzip), this.#failure]);
  }

  public destroy(): void {
    this.#gzip.destroy();
    this.chunks.length = 0;
  }
}
