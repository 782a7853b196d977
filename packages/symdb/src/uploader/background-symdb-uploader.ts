import { setImmediate as nextTurn } from 'node:timers/promises';
import { CONFIG, inject, injectable, LOGGER, optional, settleWithin, type ConfigReader, type HeapScope, type Logger, type TelemetrySource } from '@agentkit/core';
import { UploadError } from '../errors.js';
import { uploadDirectory, type UploadProgress, type UploadSummary } from '../upload/upload-directory.js';
import { symdbUploadSettings } from '../upload/upload-settings.js';
import { SYMDB_UPLOAD_DIRECTORY, SYMDB_UPLOAD_HEAP_SCOPE, type SymdbUploader, type SymdbUploadState } from './symdb-uploader.def.js';

/**
 * Runs `uploadDirectory` once as a background task started by `onStart`: the start hook only
 * schedules it, and the upload gives the event loop a turn between files. A failed upload is
 * logged and counted, never fatal to the app (Datadog's uploaders do the same). A bound
 * `SYMDB_UPLOAD_HEAP_SCOPE` is entered for the upload's duration.
 */
@injectable()
export class BackgroundSymdbUploader implements SymdbUploader, TelemetrySource {
  readonly #config: ConfigReader;
  readonly #log: Logger;
  readonly #directory: string;
  readonly #heapScope: HeapScope | undefined;
  readonly #abort = new AbortController();
  #state: SymdbUploadState = 'idle';
  #task: Promise<UploadSummary | undefined> | undefined;
  #progress: UploadProgress = { files: 0, filesFailed: 0, scopes: 0, compressedBytes: 0, batches: 0 };

  public constructor(
    @inject(CONFIG) config: ConfigReader,
    @inject(LOGGER) logger: Logger,
    @inject(SYMDB_UPLOAD_DIRECTORY) directory: string,
    @inject(SYMDB_UPLOAD_HEAP_SCOPE) @optional() heapScope?: HeapScope,
  ) {
    this.#config = config;
    this.#log = logger.child({ component: 'SymdbUploader' });
    this.#directory = directory;
    this.#heapScope = heapScope;
  }

  public get state(): SymdbUploadState {
    return this.#state;
  }

  public onStart(): void {
    if (this.#task !== undefined) return;
    this.#state = 'running';
    this.#task = this.#run();
  }

  public async onStop(signal: AbortSignal): Promise<void> {
    if (this.#task === undefined) return;
    this.#abort.abort(new Error('the app is stopping'));
    // The task never rejects; stop waits for it to unwind, unless its share of the stop budget runs out.
    await settleWithin(this.#task, signal);
  }

  public whenDone(): Promise<UploadSummary | undefined> {
    return this.#task ?? Promise.resolve(undefined);
  }

  public telemetry(): Record<string, number> {
    return {
      files: this.#progress.files,
      files_failed: this.#progress.filesFailed,
      scopes: this.#progress.scopes,
      batches: this.#progress.batches,
      compressed_bytes: this.#progress.compressedBytes,
      failed: this.#state === 'failed' ? 1 : 0,
    };
  }

  async #run(): Promise<UploadSummary | undefined> {
    const signal = this.#abort.signal;
    let leaveHeapScope: (() => void) | undefined;
    try {
      await nextTurn(); // after every other component's start: readiness is never delayed
      leaveHeapScope = this.#heapScope?.enter();
      const settings = symdbUploadSettings(this.#config);
      const summary = await uploadDirectory({
        ...settings,
        directory: this.#directory,
        yieldBetweenFiles: true,
        signal,
        logger: this.#log,
        onProgress: (progress) => {
          this.#progress = progress;
        },
      });
      this.#state = 'done';
      const { files, filesFailed, scopes, batches, compressedBytes, uploadId, durationMs, parserProcesses, parserPeakRssBytes } = summary;
      this.#log.info(
        { directory: this.#directory, files, filesFailed, scopes, batches, compressedBytes, uploadId, durationMs: Math.round(durationMs), parserProcesses, parserPeakRssBytes },
        'symbol database uploaded',
      );
      return summary;
    } catch (error) {
      if (signal.aborted) {
        this.#state = 'aborted';
        this.#log.info({ directory: this.#directory }, 'symbol database upload stopped with the app');
      } else {
        this.#state = 'failed';
        const status = error instanceof UploadError ? error.status : undefined;
        this.#log.warn({ directory: this.#directory, status, error: error instanceof Error ? error.message : String(error) }, 'symbol database upload failed');
      }
      return undefined;
    } finally {
      leaveHeapScope?.();
    }
  }
}
