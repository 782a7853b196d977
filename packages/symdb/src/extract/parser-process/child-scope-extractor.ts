import { setImmediate as nextTurn } from 'node:timers/promises';
import { walkSourceFiles } from '../file-walker.js';
import type { ParserPreference, SourceParser } from '../parser.js';
import type { ExtractorStats } from '../scope-extractor.js';
import { ParserChild, type ChildFileResult } from './parser-child.js';

/**
 * Above this resident set (its own, measured after each file) the parser process is replaced:
 * what the agent's container pays for parsing is bounded by it whatever the tree's size.
 */
export const DEFAULT_PARSER_RECYCLE_RSS_BYTES = 96 * 1024 * 1024;
/** A parser process is replaced after this many files even when its RSS stays low. */
export const DEFAULT_PARSER_RECYCLE_FILES = 5000;

/** Requests in flight to the parser process: one being parsed while the last is encoded. */
const PIPELINE_DEPTH = 2;

interface InFlight {
  readonly path: string;
  readonly child: ParserChild;
  readonly result: Promise<ChildFileResult>;
}

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
    // The process that new requests go to; a replaced one finishes what it was sent first.
    let child = this.#child;
    this.#child = undefined;
    let filesInChild = 0;
    const inFlight: InFlight[] = [];
    const onAbort = (): void => {
      child?.close();
      for (const f of inFlight) f.child.close();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const send = async (path: string): Promise<void> => {
      if (child === undefined) {
        // One process at a time: a replaced one finishes its requests before the next starts.
        await Promise.allSettled(inFlight.map((f) => f.result));
        child = await this.#start();
      }
      filesInChild++;
      const result = child.extract(root, path);
      result.catch(() => {}); // observed in order, below
      inFlight.push({ path, child, result });
    };
    /** Settles the oldest request: its scope, or undefined (failed, unsupported). */
    const settle = async (): Promise<SerializedFileScope | undefined> => {
      const head = inFlight.shift() as InFlight;
      let result;
      try {
        result = await head.result;
      } catch (error) {
        // The process died on this file (out of memory on a huge file, a crash in the
        // binding): this file is lost. It had not begun the later ones: they go to a new one.
        signal?.throwIfAborted();
        this.#failed(head.path, error instanceof Error ? error.message : String(error));
        head.child.close();
        const again = inFlight.splice(0).map((f) => f.path);
        if (child === head.child) {
          child = undefined;
          filesInChild = 0;
        }
        for (const path of again) await send(path);
        return undefined;
      }
      this.processStats.peakRssBytes = Math.max(this.processStats.peakRssBytes, head.child.peakRssBytes);
      if (head.child === child && (result.rssBytes > recycleRss || filesInChild >= recycleFiles)) {
        child = undefined;
        filesInChild = 0;
      }
      if (head.child !== child && !inFlight.some((f) => f.child === head.child)) head.child.close();
      if (result.ok) {
        this.stats.scopes += result.scopeCount;
        return { relativePath: result.relativePath, json: result.json, scopeCount: result.scopeCount };
      }
      if (result.reason === 'unsupported') this.stats.filesUnsupported++;
      else this.#failed(head.path, result.message);
      return undefined;
    };
    try {
      for await (const path of walkSourceFiles(root, { excludeDirs: this.#options.excludeDirs })) {
        signal?.throwIfAborted();
        this.stats.files++;
        await send(path);
        // The process parses the next file while this one is encoded: two cores at work.
        if (inFlight.length < PIPELINE_DEPTH) continue;
        const file = await settle();
        if (file !== undefined) yield file;
        if (this.#options.yieldBetweenFiles === true) await nextTurn();
      }
      while (inFlight.length > 0) {
        signal?.throwIfAborted();
        const file = await settle();
        if (file !== undefined) yield file;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      child?.close();
      for (const f of inFlight) f.child.close();
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
