import { extname } from 'node:path';
import { SymdbError, SymdbErrorCode } from '../errors.js';

/** An ESTree / TS-ESTree node as both parsers produce it: `start`/`end` are UTF-16 offsets. */
export interface EsNode {
  readonly type: string;
  readonly start: number;
  readonly end: number;
  readonly [key: string]: unknown;
}

export type ParseOutcome =
  | { readonly ok: true; readonly program: EsNode }
  | { readonly ok: false; readonly reason: 'syntax' | 'unsupported'; readonly message: string };

/** Parses one file's text; never throws for bad input (the outcome says why). */
export interface SourceParser {
  readonly name: 'oxc' | 'acorn';
  parse(path: string, source: string): ParseOutcome;
}

/** `auto`: oxc-parser, or acorn (JavaScript only) when its native binding cannot load. */
export type ParserPreference = 'auto' | 'oxc' | 'acorn';

const ACORN_EXTENSIONS = new Set(['.js', '.mjs', '.cjs']);

/**
 * Loads the parser. With `auto`, a missing or broken native binding is not an error: the
 * pure-JS fallback is used and `onFallback` is told why, once, so the caller can say so.
 */
export async function loadParser(preference: ParserPreference, onFallback?: (reason: string) => void): Promise<SourceParser> {
  if (preference !== 'acorn') {
    try {
      return await loadOxc();
    } catch (error) {
      if (preference === 'oxc') {
        throw new SymdbError(SymdbErrorCode.ParserUnavailable, `oxc-parser cannot be loaded: ${String(error)}`, { cause: error });
      }
      onFallback?.(error instanceof Error ? error.message : String(error));
    }
  }
  try {
    return await loadAcorn();
  } catch (error) {
    throw new SymdbError(SymdbErrorCode.ParserUnavailable, `no JavaScript parser can be loaded: ${String(error)}`, { cause: error });
  }
}

async function loadOxc(): Promise<SourceParser> {
  const oxc = await import('oxc-parser');
  // The import succeeds on some platforms where the binding then fails: prove it parses.
  oxc.parseSync('probe.js', '0');
  return {
    name: 'oxc',
    parse(path, source) {
      const ext = extname(path);
      const sourceType = ext === '.cjs' || ext === '.cts' ? 'commonjs' : ext === '.mjs' || ext === '.mts' ? 'module' : 'unambiguous';
      try {
        const result = oxc.parseSync(path, source, { sourceType, preserveParens: false });
        // Warnings and advice do not make a file unusable; errors do.
        const first = result.errors.find((e) => (e.severity as string) === 'Error');
        if (first !== undefined) return { ok: false, reason: 'syntax', message: first.message };
        return { ok: true, program: result.program as unknown as EsNode };
      } catch (error) {
        return { ok: false, reason: 'syntax', message: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}

async function loadAcorn(): Promise<SourceParser> {
  const acorn = await import('acorn');
  const parse = (source: string, sourceType: 'module' | 'script'): EsNode =>
    acorn.parse(source, {
      ecmaVersion: 'latest',
      sourceType,
      allowHashBang: true,
      allowReturnOutsideFunction: sourceType === 'script',
    }) as unknown as EsNode;
  return {
    name: 'acorn',
    parse(path, source) {
      const ext = extname(path);
      if (!ACORN_EXTENSIONS.has(ext)) {
        return { ok: false, reason: 'unsupported', message: `${ext} needs the native parser (oxc-parser)` };
      }
      try {
        if (ext === '.cjs') return { ok: true, program: parse(source, 'script') };
        try {
          return { ok: true, program: parse(source, 'module') };
        } catch (moduleError) {
          // A .js file is a CommonJS script unless it is an ES module: try that second.
          if (ext === '.mjs') throw moduleError;
          return { ok: true, program: parse(source, 'script') };
        }
      } catch (error) {
        return { ok: false, reason: 'syntax', message: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}
