import { SymdbEncodeError } from '../errors.js';
import { SYMDB_LANGUAGE } from '../scope/scope.js';
import { OpenBatch } from './open-batch.js';

/** One finished batch, handed to a `BatchSink`. */
export interface EncodedBatch {
  /** From 1, one more per batch of an upload. */
  readonly batchNum: number;
  /** True only on the upload's last batch. */
  readonly final: boolean;
  readonly scopeCount: number;
  /** The gzip file, in chunks. Owned by the encoder; unchanged until `send` settles, so it can be sent again. */
  readonly gzipChunks: readonly Buffer[];
  readonly gzipBytes: number;
}

/** Where finished batches go (the HTTP sender, or a test's collector). */
export interface BatchSink {
  /** Resolves once the batch is delivered; rejects when it cannot be. */
  send(batch: EncodedBatch, signal?: AbortSignal): Promise<void>;
}

/** The fields every envelope repeats. */
export interface UploadIdentity {
  readonly service: string;
  readonly version: string;
  readonly env: string;
  /** One per logical upload (a UUID), shared by all its batches. */
  readonly uploadId: string;
}

export interface GzipBatchEncoderOptions {
  readonly identity: UploadIdentity;
  /** Hard cap on a batch's compressed size; ≤ 0: one scope per batch, no cap. */
  readonly flushThresholdBytes: number;
  readonly sink: BatchSink;
  /** A scope that cannot fit in a batch of its own under the cap is dropped; told here. */
  readonly onScopeDropped?: (uncompressedBytes: number) => void;
}

/** `],"final":false}` is the longest suffix. */
const SUFFIX_MAX_BYTES = 16;
/** The gzip header (10) and trailer (8), counted whether or not the header is out yet. */
const GZIP_FRAME_BYTES = 18;
/**
 * Sync flushes cost a few bytes and some ratio each; past this many in one batch, a scope
 * that might not fit starts the next batch instead of being measured.
 */
const MAX_SYNC_FLUSHES_PER_BATCH = 64;
const COMMA = Buffer.from(',');

/**
 * Upper bound of deflate's output for `n` input bytes after a sync flush: zlib stores a
 * block raw when it would not shrink (5 header bytes per block of at most 16 K symbols), plus
 * the next flush marker and the bits of the final block.
 */
function deflateBound(n: number): number {
  return n + (n >>> 11) + 32;
}

/**
 * Streams scopes into gzip batches: `{"service",…,"batch_num":n,"scopes":[` is written when a
 * batch opens, each scope as it is added, and `],"final":…}` when it is flushed. Nothing but
 * the open batch's compressed bytes and the scope being added is held.
 *
 * The cap is hard: before a scope is written, the batch's exact compressed size at its last
 * sync flush plus a bound of what the bytes since can compress to must stay under the cap.
 * Only when that bound says no is the stream sync-flushed to measure exactly; if the scope
 * still does not fit, it opens the next batch and the full one is sent. A scope too large for
 * a batch of its own is dropped and reported, and the open batch goes on.
 *
 * Not safe for concurrent calls: await each `add`/`flush` before the next.
 */
export class GzipBatchEncoder {
  readonly #options: GzipBatchEncoderOptions;
  #batch: OpenBatch | undefined;
  #batchNum = 0;
  /** With a threshold ≤ 0, the open batch is sent when the next scope arrives or at the final flush. */
  #cutBeforeNext = false;
  #batchesSent = 0;
  #bytesSent = 0;
  #scopesAdded = 0;
  #scopesDropped = 0;

  public constructor(options: GzipBatchEncoderOptions) {
    this.#options = options;
  }

  /** Batches delivered so far. */
  public get batchesSent(): number {
    return this.#batchesSent;
  }

  /** Compressed bytes delivered so far plus those of the open batch. */
  public get compressedBytes(): number {
    return this.#bytesSent + (this.#batch?.emittedBytes ?? 0);
  }

  public get scopesAdded(): number {
    return this.#scopesAdded;
  }

  public get scopesDropped(): number {
    return this.#scopesDropped;
  }

  /**
   * Adds one top-level scope (may send the previous batch first). Rejects with
   * `SymdbEncodeError` when the scope cannot be serialised, or with the sink's error.
   */
  public async add(scope: unknown, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    await this.addJson(serialize(scope), signal);
  }

  /**
   * Adds one top-level scope already serialised (by the parser process): `json` must be one
   * JSON object as `JSON.stringify` writes it (a Buffer is UTF-8; it is written as it is, and
   * must stay unchanged until this settles). Otherwise as `add`.
   */
  public async addJson(text: string | Buffer, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const json = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    if (this.#batch !== undefined && this.#cutBeforeNext) await this.flush(false, signal);
    const batch = this.#batch;
    if (batch !== undefined) {
      if (!this.#fits(batch, json.length + 1) && batch.syncFlushes < MAX_SYNC_FLUSHES_PER_BATCH) await batch.syncFlush();
      if (this.#fits(batch, json.length + 1)) {
        await batch.write(COMMA);
        await batch.write(json);
        batch.scopeCount++;
        this.#added();
        return;
      }
    }
    // The scope opens a new batch. The open one is sent only once the scope is known to fit
    // there: a scope too large for any batch is dropped and the open batch goes on.
    const next = await this.#openWith(json);
    if (next === undefined) {
      this.#scopesDropped++;
      this.#options.onScopeDropped?.(json.length);
      return;
    }
    this.#batch = undefined;
    if (batch !== undefined) await this.#send(batch, false, signal);
    this.#batch = next;
    this.#batchNum = next.batchNum;
    this.#added();
  }

  /**
   * Closes the open batch with `final` and sends it. With nothing added since the last flush
   * it does nothing, even when `final` is true (an upload of nothing sends nothing).
   */
  public async flush(final: boolean, signal?: AbortSignal): Promise<void> {
    const batch = this.#batch;
    if (batch === undefined) return;
    this.#batch = undefined;
    this.#cutBeforeNext = false;
    await this.#send(batch, final, signal);
  }

  /** Abandons the open batch, if any (after an error or an abort). */
  public close(): void {
    this.#batch?.destroy();
    this.#batch = undefined;
  }

  #added(): void {
    this.#scopesAdded++;
    if (this.#options.flushThresholdBytes <= 0) this.#cutBeforeNext = true;
  }

  /** A new batch holding `json`, or undefined when `json` alone would break the cap. */
  async #openWith(json: Buffer): Promise<OpenBatch | undefined> {
    const batch = new OpenBatch(this.#batchNum + 1);
    const { service, version, env, uploadId } = this.#options.identity;
    const prefix =
      `{"service":${JSON.stringify(service)},"version":${JSON.stringify(version)},"env":${JSON.stringify(env)},` +
      `"language":"${SYMDB_LANGUAGE}","upload_id":${JSON.stringify(uploadId)},"batch_num":${batch.batchNum},"scopes":[`;
    try {
      await batch.write(Buffer.from(prefix, 'utf8'));
      await batch.write(json);
      batch.scopeCount = 1;
      if (!this.#fits(batch, 0)) await batch.syncFlush();
    } catch (error) {
      batch.destroy();
      throw error;
    }
    if (this.#fits(batch, 0)) return batch;
    batch.destroy();
    return undefined;
  }

  async #send(batch: OpenBatch, final: boolean, signal: AbortSignal | undefined): Promise<void> {
    try {
      await batch.finish(Buffer.from(`],"final":${final}}`));
      const limit = this.#options.flushThresholdBytes;
      if (limit > 0 && batch.emittedBytes > limit) {
        throw new SymdbEncodeError(`batch ${batch.batchNum} is ${batch.emittedBytes} bytes, over the cap of ${limit} (symdb_flush_threshold_bytes): this is a bug`);
      }
      await this.#options.sink.send(
        { batchNum: batch.batchNum, final, scopeCount: batch.scopeCount, gzipChunks: batch.chunks, gzipBytes: batch.emittedBytes },
        signal,
      );
      this.#batchesSent++;
      this.#bytesSent += batch.emittedBytes;
    } finally {
      batch.destroy();
    }
  }

  /** True when `extraBytes` more (and the suffix) surely fit under the cap. */
  #fits(batch: OpenBatch, extraBytes: number): boolean {
    const limit = this.#options.flushThresholdBytes;
    if (limit <= 0) return true;
    return batch.emittedAtSyncBytes + deflateBound(batch.pendingBytes + extraBytes + SUFFIX_MAX_BYTES) + GZIP_FRAME_BYTES <= limit;
  }
}

function serialize(scope: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(scope);
  } catch (error) {
    throw new SymdbEncodeError(`a scope cannot be serialised: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (typeof json !== 'string') throw new SymdbEncodeError('a scope serialises to nothing (undefined or a function)');
  return json;
}
