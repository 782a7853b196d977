/**
 * The symbol database wire model, as Datadog's tracers send it (field names and omission rules
 * of the Go uploader; scope and symbol kinds of the Python/.NET/Java tracers, lower-case).
 * JSON key order is the declaration order below.
 */
export type ScopeType = 'module' | 'class' | 'function' | 'method' | 'closure' | 'local';
export type SymbolType = 'field' | 'static_field' | 'arg' | 'local';

/** An inclusive range of 1-based lines. */
export interface LineRange {
  readonly start: number;
  readonly end: number;
}

export interface ScopeSymbol {
  readonly name: string;
  /** The TypeScript annotation as written, or null (JavaScript has none). Always present: the intake's schema requires it. */
  readonly type: string | null;
  readonly symbol_type: SymbolType;
  /** 1-based line of the declaration. */
  readonly line: number;
}

export interface LanguageSpecifics {
  /** Module scopes: the git blob SHA-1 of the file's bytes (as Python and Ruby send). */
  readonly file_hash?: string;
}

export interface Scope {
  readonly scope_type: ScopeType;
  /** Empty for `local` (block) scopes. */
  readonly name: string;
  readonly source_file?: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly has_injectible_lines: boolean;
  readonly injectible_lines?: readonly LineRange[];
  readonly language_specifics?: LanguageSpecifics;
  readonly symbols?: readonly ScopeSymbol[];
  readonly scopes?: readonly Scope[];
}

/** The `language` of every envelope and event agentkit sends (dd-trace-js's debugger uses it too). */
export const SYMDB_LANGUAGE = 'javascript';
