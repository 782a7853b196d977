import { setImmediate as nextTurn } from 'node:timers/promises';
import { walkSourceFiles } from '../file-walker.js';
import type { ParserPreference, SourceParser } from '../parser.js';
import type { ExtractorStats } from '../scope-extractor.js';
import { ParserChild } from './parser-child.js';

/**
 * Above this resident set (its own, measured after each file) the parser process is replaced:
 * what the agent's container pays for parsing is bounded by it whatever the tree's size.
 */
export const DEFAULT_PARSER_RECYCLE_RSS_BYTES = 96 * 1024 * 1024;
/** A parser process is replaced after this many files even when its RSS stays low. */
export const DEFAULT_PARSER_RECYCLE_FILES = 5000;

/** One file's module scope, serialised by the parser process (UTF-8 JSON). */
export interface SerializedFileScope {
  readonly relativePath: string;
  readonly json: Buffer;
  readonly scopeCount: number;
}

export interface ChildScopeExtractorOptions {
  readonly parser: ParserPreference;
  readonly excludeDirs: readonly string[];
  readonly yieldBetweenFiles?: boolean;
  readonly onFileFailed?: (path: string, message: string) => void;
  /** Told once when the parser process fell back to acorn, with why. */
  readonly onParserFallback?: (reason: string) => void;
  readonly recycleAboveRssBytes?: number;
  readonly recycleAfterFiles?: number;
  /** The child's entry module (tests); default: the compiled `parser-child-main.js`. */
  readonly childEntry?: string;
}

/** What parsing in a child process cost, for the upload's summary. */
export interface ParserProcessStats {
  /** Parser processes started (1 + recycles + restarts after a crash). */
  processes: number;
  /** The largest resident set any of them reported. */
  peakRssBytes: number;
}

/**
 * Walks a directory here and has a parser process read, parse and serialise each file, one at
 * a time, so that none of the parser's memory is in this process: only one file's scope JSON
 * crosses. The process is replaced when its RSS passes `recycleAboveRssBytes` (or after
 * `recycleAfterFiles`), and restarted when it dies on a file (that file is counted as failed).
 * `extract` rejects with `ParserChildStartError` when the first process cannot start (the
 * caller may parse in-process instead).
 */
export class ChildScopeExtractor {
  public readonly stats: ExtractorStats = { files: 0, filesFailed: 0, filesUnsupported: 0, scopes: 0 };
  public readonly processStats: ParserProcessStats = { processes: 0, peakRssBytes: 0 };
  #parserName: SourceParser['name'] | undefined;
  readonly #options: ChildScopeExtractorOptions;
  #fallbackTold = false;
  /** Started by `open`, or at the first file. */
  #child: ParserChild | undefined;

  public constructor(options: ChildScopeExtractorOptions) {
    this.#options = options;
  }

  /** The parser the processes loaded (known after the first one started). */
  public get parserName(): SourceParser['name'] | undefined {
    return this.#parserName;
  }

  /**
   * Starts the first parser process, so that the caller knows before walking whether it can
   * (rejects with `ParserChildStartError`) and which parser it loaded.
   */
  public async open(): Promise<void> {
    this.#child ??= await this.#start();
  }

  /** Lets a process started by `open` go when `extract` is never run. Idempotent. */
  public close(): void {
    this.#child?.close();
    this.#child = undefined;
  }

  public async *extract(root: string, signal?: AbortSignal): AsyncGenerator<SerializedFileScope> {
    const recycleRss = this.#options.recycleAboveRssBytes ?? DEFAULT_PARSER_RECYCLE_RSS_BYTES;
    const recycleFiles = this.#options.recycleAfterFiles ?? DEFAULT_PARSER_RECYCLE_FILES;
    let child = this.#child;
    this.#child = undefined;
    let filesInChild = 0;
    const onAbort = (): void => child?.close();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      for await (const path of walkSourceFiles(root, { excludeDirs: this.#options.excludeDirs })) {
        signal?.throwIfAborted();
        this.stats.files++;
        child ??= await this.#start();
        let reply;
        try {
          reply = await child.extract(root, path);
        } catch (error) {
          // The process died on this file (out of memory on a huge file, a crash in the
          // binding): this file is lost, the next one gets a new process.
          signal?.throwIfAborted();
          this.#failed(path, error instanceof Error ? error.message : String(error));
          child.close();
          child = undefined;
          continue;
        }
        filesInChild++;
        this.processStats.peakRssBytes = Math.max(this.processStats.peakRssBytes, child.peakRssBytes);
        if (reply.rssBytes > recycleRss || filesInChild >= recycleFiles) {
          child.close();
          child = undefined;
          filesInChild = 0;
        }
        if (reply.ok) {
          this.stats.scopes += reply.scopeCount;
          yield { relativePath: reply.relativePath, json: reply.json, scopeCount: reply.scopeCount };
        } else if (reply.reason === 'unsupported') {
          this.stats.filesUnsupported++;
        } else {
          this.#failed(path, reply.message);
        }
        if (this.#options.yieldBetweenFiles === true) await nextTurn();
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      child?.close();
    }
  }

  async #start(): Promise<ParserChild> {
    const preference = this.#options.parser;
    const started = await ParserChild.start(preference, ...(this.#options.childEntry === undefined ? [] : [this.#options.childEntry]));
    this.processStats.processes++;
    this.#parserName = started.parser;
    if (started.fallbackReason !== undefined && !this.#fallbackTold) {
      this.#fallbackTold = true;
      this.#options.onParserFallback?.(started.fallbackReason);
    }
    return started.child;
  }

  #failed(path: string, message: string): void {
    this.stats.filesFailed++;
    this.#options.onFileFailed?.(path, message);
  }
}
