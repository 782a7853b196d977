import type { ParserPreference, SourceParser } from '../parser.js';

/** The parent's request: extract one file (paths absolute, `root` the walked directory). */
export interface ExtractRequest {
  readonly type: 'extract';
  readonly root: string;
  readonly path: string;
}

/** Sent once, when the parser is loaded; `fallbackReason` when oxc-parser could not load. */
export interface ReadyMessage {
  readonly type: 'ready';
  readonly parser: SourceParser['name'];
  readonly fallbackReason?: string;
}

/** The child could not load any parser; it exits after sending this. */
export interface StartFailedMessage {
  readonly type: 'start-failed';
  readonly message: string;
}

/**
 * One file's outcome. An extracted scope travels serialised, as `jsonBytes` bytes of UTF-8 the
 * child wrote to its stdout just before this message: the parent hands those bytes to the
 * encoder as they came off the pipe, without making a string of them (a string per file would
 * churn this process's young generation, and V8 grows it to keep up).
 */
export type ExtractReply = (
  | { readonly type: 'file'; readonly ok: true; readonly relativePath: string; readonly jsonBytes: number; readonly scopeCount: number }
  | { readonly type: 'file'; readonly ok: false; readonly reason: 'failed' | 'unsupported'; readonly message: string }
) & {
  /** The child's resident set after this file: the parent recycles the child above its bound. */
  readonly rssBytes: number;
};

export type ChildMessage = ReadyMessage | StartFailedMessage | ExtractReply;

/**
 * Set in the environment of a single executable started as a parser process: its main script
 * (scripts/binary/sea-main.cjs, which spells it out too) then runs the parser's entry, not the CLI.
 */
export const PARSER_PROCESS_ENV = 'AGENTKIT_SYMDB_PARSER_PROCESS';

/** The child's command line: `--parser <preference>`. */
export function parserArgument(preference: ParserPreference): string[] {
  return ['--parser', preference];
}
