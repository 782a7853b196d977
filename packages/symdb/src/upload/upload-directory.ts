import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { Logger } from '@agentkit/core';
import type { HttpClientSettings } from '@agentkit/forwarder';
import { DEFAULT_SYMDB_EXCLUDE_DIRS, DEFAULT_SYMDB_FLUSH_THRESHOLD_BYTES } from '../config-keys.js';
import { GzipBatchEncoder, type BatchSink } from '../encoder/gzip-batch-encoder.js';
import { SymdbError, SymdbErrorCode } from '../errors.js';
import { loadParser, type ParserPreference, type SourceParser } from '../extract/parser.js';
import { ChildScopeExtractor, type ParserProcessStats } from '../extract/parser-process/child-scope-extractor.js';
import { ParserChildStartError } from '../extract/parser-process/parser-child.js';
import { ScopeExtractor, type ExtractorStats } from '../extract/scope-extractor.js';
import type { SymdbDestination } from './destination.js';
import { HttpBatchSender, type RetryOptions } from './http-batch-sender.js';
import { monotonicNowMs } from '@agentkit/core';

/**
 * One process's id in every event (`runtimeId`), as a tracer has one per process. Drawn on first
 * use, not at load: the single executable's startup snapshot (scripts/binary/snapshot-main.cjs)
 * would otherwise give every process the one drawn at build time.
 */
let processRuntimeId: string | undefined;

export interface UploadProgress {
  readonly files: number;
  readonly filesFailed: number;
  readonly scopes: number;
  readonly compressedBytes: number;
  readonly batches: number;
}

export interface UploadSummary extends UploadProgress {
  readonly uploadId: string;
  readonly filesUnsupported: number;
  /** Scopes too large for a batch of their own under `symdb_flush_threshold_bytes`. */
  readonly scopesDropped: number;
  readonly parser: SourceParser['name'];
  /** Parser processes used (0: parsed in this process) and the largest RSS one reported. */
  readonly parserProcesses: number;
  readonly parserPeakRssBytes: number;
  readonly durationMs: number;
}

export interface UploadDirectoryOptions {
  readonly directory: string;
  readonly service: string;
  readonly version: string;
  readonly env: string;
  /** Where batches are posted; ignored when `sink` is given. */
  readonly destination?: SymdbDestination;
  /** Replaces the HTTP sender (benchmarks, tests). */
  readonly sink?: BatchSink;
  readonly flushThresholdBytes?: number;
  readonly excludeDirs?: readonly string[];
  readonly parser?: ParserPreference | SourceParser;
  /**
   * `process` (the default): files are parsed in a child process, replaced whenever its RSS
   * passes `parserRecycleRssBytes`, so this process never holds the parser's memory; when no
   * child can start, parsing falls back to `inline` (logged). `inline`: parsed here. A given
   * `SourceParser` object always parses inline.
   */
  readonly parseIn?: 'process' | 'inline';
  readonly parserRecycleRssBytes?: number;
  readonly uploadId?: string;
  readonly runtimeId?: string;
  readonly retry?: RetryOptions;
  readonly timeoutMs?: number;
  /** Proxy and TLS for the HTTP sender (`symdbUploadSettings` reads them); default: direct. */
  readonly http?: HttpClientSettings;
  readonly yieldBetweenFiles?: boolean;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
  /** Called after each file and each batch; keep it cheap. */
  readonly onProgress?: (progress: UploadProgress) => void;
}

/**
 * Extracts every source file under `directory` and streams its scopes, batch by batch, to the
 * destination: one upload (one `upload_id`), the last batch marked `final`. Memory holds one
 * file's scopes and one batch's compressed bytes. Rejects with `UploadError` when a batch
 * cannot be delivered after its retries, `SymdbEncodeError` when encoding fails (not retried),
 * `SymdbError` when the directory cannot be read, or the signal's reason when aborted.
 */
export async function uploadDirectory(options: UploadDirectoryOptions): Promise<UploadSummary> {
  const startedAt = monotonicNowMs();
  await checkDirectory(options.directory);
  const log = options.logger;
  const source = await openSource(options);
  const uploadId = options.uploadId ?? randomUUID();
  // A sender made here is closed here; a given sink stays the caller's.
  let sender: HttpBatchSender | undefined;
  let sink: BatchSink;
  try {
    sink = options.sink ?? (sender = senderFor(options, uploadId));
  } catch (error) {
    if (source.kind === 'process') source.extractor.close();
    throw error;
  }
  const encoder = new GzipBatchEncoder({
    identity: { service: options.service, version: options.version, env: options.env, uploadId },
    flushThresholdBytes: options.flushThresholdBytes ?? DEFAULT_SYMDB_FLUSH_THRESHOLD_BYTES,
    sink: {
      send: async (batch, signal) => {
        await sink.send(batch, signal);
        report();
      },
    },
    onScopeDropped: (bytes) =>
      log?.warn({ uncompressedBytes: bytes }, 'symdb: a file scope is larger than one batch may be and was dropped (raise symdb_flush_threshold_bytes)'),
  });
  const stats = source.stats;
  const report = (): void =>
    options.onProgress?.({
      files: stats.files,
      filesFailed: stats.filesFailed,
      scopes: stats.scopes,
      compressedBytes: encoder.compressedBytes,
      batches: encoder.batchesSent,
    });
  try {
    if (source.kind === 'process') {
      for await (const file of source.extractor.extract(options.directory, options.signal)) {
        await encoder.addJson(file.json, options.signal);
        report();
      }
    } else {
      for await (const file of source.extractor.extract(options.directory, options.signal)) {
        await encoder.add(file.scope, options.signal);
        report();
      }
    }
    await encoder.flush(true, options.signal);
  } finally {
    if (source.kind === 'process') source.extractor.close();
    encoder.close();
    await sender?.close();
  }
  report();
  const { files, filesFailed, filesUnsupported, scopes } = stats;
  const summary: UploadSummary = {
    uploadId,
    files,
    filesFailed,
    filesUnsupported,
    scopes,
    scopesDropped: encoder.scopesDropped,
    compressedBytes: encoder.compressedBytes,
    batches: encoder.batchesSent,
    parser: source.kind === 'process' ? (source.extractor.parserName ?? 'oxc') : source.parser.name,
    parserProcesses: source.processStats.processes,
    parserPeakRssBytes: source.processStats.peakRssBytes,
    durationMs: monotonicNowMs() - startedAt,
  };
  // Where the files were parsed: parserProcesses 0 means here, without the processes' memory bound.
  log?.debug({ ...summary, durationMs: Math.round(summary.durationMs) }, 'symdb: upload summary');
  return summary;
}

type FileSource =
  | { readonly kind: 'process'; readonly extractor: ChildScopeExtractor; readonly stats: ExtractorStats; readonly processStats: ParserProcessStats }
  | { readonly kind: 'inline'; readonly extractor: ScopeExtractor; readonly parser: SourceParser; readonly stats: ExtractorStats; readonly processStats: ParserProcessStats };

const FALLBACK_WARNING = 'oxc-parser is unavailable: using the JavaScript-only fallback parser (acorn); TypeScript and JSX files are skipped';

/** The parser process when it starts (and the options allow it), else a parser here. */
async function openSource(options: UploadDirectoryOptions): Promise<FileSource> {
  const log = options.logger;
  const excludeDirs = options.excludeDirs ?? DEFAULT_SYMDB_EXCLUDE_DIRS;
  const yieldBetweenFiles = options.yieldBetweenFiles === undefined ? {} : { yieldBetweenFiles: options.yieldBetweenFiles };
  const onFileFailed = (path: string, message: string): void => log?.debug({ path, error: message }, 'symdb: file skipped, it cannot be parsed');
  if (typeof options.parser !== 'object' && options.parseIn !== 'inline') {
    const extractor = new ChildScopeExtractor({
      parser: options.parser ?? 'auto',
      excludeDirs,
      ...yieldBetweenFiles,
      ...(options.parserRecycleRssBytes === undefined ? {} : { recycleAboveRssBytes: options.parserRecycleRssBytes }),
      onFileFailed,
      onParserFallback: (reason) => log?.warn({ reason }, FALLBACK_WARNING),
    });
    try {
      await extractor.open();
      return { kind: 'process', extractor, stats: extractor.stats, processStats: extractor.processStats };
    } catch (error) {
      if (!(error instanceof ParserChildStartError)) throw error;
      log?.warn({ reason: error.message }, 'symdb: no parser process could start; parsing in this process (its memory stays here)');
    }
  }
  const parser =
    typeof options.parser === 'object' ? options.parser : await loadParser(options.parser ?? 'auto', (reason) => log?.warn({ reason }, FALLBACK_WARNING));
  const extractor = new ScopeExtractor({ parser, excludeDirs, ...yieldBetweenFiles, onFileFailed });
  return { kind: 'inline', extractor, parser, stats: extractor.stats, processStats: { processes: 0, peakRssBytes: 0 } };
}

function senderFor(options: UploadDirectoryOptions, uploadId: string): HttpBatchSender {
  if (options.destination === undefined) throw new TypeError('uploadDirectory needs a destination or a sink');
  return new HttpBatchSender({
    destination: options.destination,
    service: options.service,
    version: options.version,
    env: options.env,
    runtimeId: options.runtimeId ?? (processRuntimeId ??= randomUUID()),
    uploadId,
    ...(options.retry === undefined ? {} : { retry: options.retry }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.http === undefined ? {} : { http: options.http }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  });
}

async function checkDirectory(directory: string): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(directory)).isDirectory();
  } catch (error) {
    throw new SymdbError(SymdbErrorCode.Directory, `cannot read ${directory}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (!isDirectory) throw new SymdbError(SymdbErrorCode.Directory, `${directory} is not a directory`);
}
