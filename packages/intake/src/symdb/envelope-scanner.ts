/**
 * Reads a symbol database envelope (`{service, version, env, language, upload_id, batch_num,
 * scopes, final}`) as a stream of JSON bytes, keeping only its summary: the envelope's scalar
 * fields, the top-level scopes' count, names and files, and the count of scopes at any depth.
 * Memory stays flat whatever the batch inflates to; a Datadog uploader cuts batches by their
 * compressed size only (the Agent's at 2 MiB), so a batch of repetitive code can inflate to
 * hundreds of MiB. Throws `Error` with what is wrong when the bytes are not one JSON object.
 */
export interface EnvelopeSummary {
  readonly fields: Readonly<Record<string, string | number | boolean>>;
  /** Elements of the top-level `scopes` array. */
  readonly scopeCount: number;
  /** Scope objects at any depth (nesting deeper than `maxScopeDepth` is not counted). */
  readonly totalScopeCount: number;
  readonly fileCount: number;
  readonly topLevelScopes: readonly string[];
  readonly uncompressedBytes: number;
}

/** The envelope's scalar fields the summary keeps, with their JSON type. */
const ENVELOPE_FIELDS: Readonly<Record<string, 'string' | 'number' | 'boolean'>> = {
  service: 'string',
  version: 'string',
  env: 'string',
  language: 'string',
  upload_id: 'string',
  batch_num: 'number',
  final: 'boolean',
};
/** A string longer than this is never one the summary keeps (a name, a path, an id). */
const MAX_CAPTURED_STRING_BYTES = 64 * 1024;
const MAX_TOKEN_BYTES = 64;
/** The reason given when the bytes are JSON, but not an object. */
export const NOT_AN_OBJECT = 'it is not a JSON object';
const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');
/** The keys the summary looks for, as bytes to compare a key with before making a string of it. */
const KEYS = [...Object.keys({ service: 0, version: 0, env: 0, language: 0, upload_id: 0, batch_num: 0, final: 0 }), 'scopes', 'name', 'source_file'].map((text) => ({
  text,
  bytes: Buffer.from(text),
}));

interface Frame {
  readonly kind: 'object' | 'array';
  /** The key whose value is being read (objects). */
  key: string | undefined;
  /** An array that is a `scopes` value: its depth in scopes (0 = the envelope's). */
  readonly scopesLevel: number | undefined;
  /** A scope object: the level of the `scopes` array that holds it. */
  readonly scopeLevel: number | undefined;
  name?: string;
  sourceFile?: string;
}

type Mode = 'value' | 'after-value' | 'key' | 'colon' | 'string' | 'token' | 'end';

export class EnvelopeScanner {
  readonly #maxScopeDepth: number;
  readonly #keepNames: number;
  readonly #stack: Frame[] = [];
  readonly #fields: Record<string, string | number | boolean> = {};
  readonly #files = new Set<string>();
  readonly #names: string[] = [];
  #mode: Mode = 'value';
  #bytes = 0;
  #scopeCount = 0;
  #totalScopeCount = 0;
  // The string or token being read.
  #isKey = false;
  #escaped = false;
  // One buffer for the string being kept (its JSON text, quotes included), one for the token:
  // reading a batch allocates nothing per key, number or literal it does not keep.
  readonly #capture = Buffer.allocUnsafe(MAX_CAPTURED_STRING_BYTES);
  #captureBytes = -1;
  #captureEscaped = false;
  readonly #token = Buffer.allocUnsafe(MAX_TOKEN_BYTES);
  #tokenBytes = 0;

  public constructor(options: { maxScopeDepth: number; keepNames: number }) {
    this.#maxScopeDepth = options.maxScopeDepth;
    this.#keepNames = options.keepNames;
  }

  public push(chunk: Uint8Array): void {
    this.#bytes += chunk.length;
    for (let i = 0; i < chunk.length; i++) this.#byte(chunk[i] as number);
  }

  /** The summary, once every byte was pushed; throws when the JSON is incomplete. */
  public end(): EnvelopeSummary {
    if (this.#mode === 'token') this.#endToken();
    if (this.#mode !== 'end') fail(this.#bytes === 0 ? 'it is empty' : 'it ends before the JSON does (truncated?)');
    return {
      fields: this.#fields,
      scopeCount: this.#scopeCount,
      totalScopeCount: this.#totalScopeCount,
      fileCount: this.#files.size,
      topLevelScopes: this.#names,
      uncompressedBytes: this.#bytes,
    };
  }

  #byte(c: number): void {
    switch (this.#mode) {
      case 'string':
        return this.#stringByte(c);
      case 'token':
        if (isTokenByte(c)) {
          if (this.#tokenBytes >= MAX_TOKEN_BYTES) fail('a number or literal is too long');
          this.#token[this.#tokenBytes++] = c;
          return;
        }
        this.#endToken();
        return this.#byte(c);
      case 'value':
      case 'after-value':
      case 'key':
      case 'colon':
      case 'end':
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) return;
        return this.#structural(c, this.#mode);
    }
  }

  #structural(c: number, mode: 'value' | 'after-value' | 'key' | 'colon' | 'end'): void {
    const top = this.#stack[this.#stack.length - 1];
    switch (mode) {
      case 'value':
        if (c === 0x5d /* ] */ && top?.kind === 'array' && this.#emptyArray) return this.#close(c);
        return this.#startValue(c);
      case 'key':
        if (c === 0x7d /* } */ && this.#emptyObject) return this.#close(c);
        if (c !== 0x22) fail(`expected a key, found "${String.fromCharCode(c)}"`);
        this.#startString(true);
        return;
      case 'colon':
        if (c !== 0x3a) fail(`expected ":", found "${String.fromCharCode(c)}"`);
        this.#mode = 'value';
        return;
      case 'after-value':
        if (c === 0x2c /* , */ && top !== undefined) {
          this.#mode = top.kind === 'object' ? 'key' : 'value';
          this.#emptyObject = false;
          this.#emptyArray = false;
          return;
        }
        if ((c === 0x7d && top?.kind === 'object') || (c === 0x5d && top?.kind === 'array')) return this.#close(c);
        return fail(`unexpected "${String.fromCharCode(c)}"`);
      case 'end':
        return fail('there is more after the JSON object');
    }
  }

  #emptyObject = false;
  #emptyArray = false;

  #startValue(c: number): void {
    const parent = this.#stack[this.#stack.length - 1];
    if (parent === undefined && c !== 0x7b) fail(NOT_AN_OBJECT);
    this.#countElement(parent);
    if (c === 0x7b /* { */) {
      const scopeLevel = parent?.kind === 'array' ? parent.scopesLevel : undefined;
      if (scopeLevel !== undefined && scopeLevel <= this.#maxScopeDepth) this.#totalScopeCount++;
      this.#stack.push({ kind: 'object', key: undefined, scopesLevel: undefined, scopeLevel });
      this.#mode = 'key';
      this.#emptyObject = true;
      return;
    }
    if (c === 0x5b /* [ */) {
      let scopesLevel: number | undefined;
      if (parent?.kind === 'object' && parent.key === 'scopes') {
        if (this.#stack.length === 1) scopesLevel = 0;
        else if (parent.scopeLevel !== undefined) scopesLevel = parent.scopeLevel + 1;
      }
      this.#stack.push({ kind: 'array', key: undefined, scopesLevel, scopeLevel: undefined });
      this.#mode = 'value';
      this.#emptyArray = true;
      return;
    }
    if (c === 0x22) return this.#startString(false);
    if (isTokenByte(c)) {
      this.#mode = 'token';
      this.#token[0] = c;
      this.#tokenBytes = 1;
      return;
    }
    fail(`unexpected "${String.fromCharCode(c)}"`);
  }

  /** A value directly in the envelope's `scopes` array is one of its scopes. */
  #countElement(parent: Frame | undefined): void {
    this.#emptyArray = false;
    if (parent?.kind === 'array' && parent.scopesLevel === 0) this.#scopeCount++;
  }

  #close(c: number): void {
    const frame = this.#stack.pop();
    if (frame === undefined) fail(`unexpected "${String.fromCharCode(c)}"`);
    if (frame.kind === 'object' && frame.scopeLevel === 0) {
      if (frame.sourceFile !== undefined) this.#files.add(frame.sourceFile);
      if (this.#names.length < this.#keepNames) this.#names.push(frame.name ?? '');
    }
    this.#emptyObject = false;
    this.#emptyArray = false;
    this.#mode = this.#stack.length === 0 ? 'end' : 'after-value';
  }

  #startString(isKey: boolean): void {
    this.#mode = 'string';
    this.#isKey = isKey;
    this.#escaped = false;
    this.#captureEscaped = false;
    // Keys matter only in the envelope and in scope objects (`scopes`, `name`, `source_file`).
    const frame = this.#stack[this.#stack.length - 1];
    const keep = isKey ? this.#stack.length === 1 || frame?.scopeLevel !== undefined : this.#wantsValue('string');
    this.#captureBytes = keep ? 0 : -1;
    if (keep) this.#capture[this.#captureBytes++] = 0x22;
  }

  #stringByte(c: number): void {
    if (c < 0x20) fail('a string holds a control character');
    if (this.#captureBytes >= 0) {
      // A longer string is never one the summary keeps: it is read on, not kept.
      if (this.#captureBytes < MAX_CAPTURED_STRING_BYTES) this.#capture[this.#captureBytes++] = c;
      else this.#captureBytes = -1;
    }
    if (this.#escaped) {
      this.#escaped = false;
      return;
    }
    if (c === 0x5c /* \ */) {
      this.#escaped = true;
      this.#captureEscaped = true;
      return;
    }
    if (c !== 0x22) return;
    const n = this.#captureBytes;
    this.#captureBytes = -1;
    if (this.#isKey) {
      const frame = this.#stack[this.#stack.length - 1] as Frame;
      frame.key = n >= 0 ? this.#knownKey(n) : undefined;
      this.#mode = 'colon';
      return;
    }
    const text = n >= 0 ? this.#decodeCapture(n) : undefined;
    if (text !== undefined) this.#keep(text);
    this.#mode = 'after-value';
  }

  #endToken(): void {
    const t = this.#token;
    const n = this.#tokenBytes;
    const first = t[0] as number;
    let value: number | boolean | null;
    if (first === 0x74 /* t */ || first === 0x66 /* f */ || first === 0x6e /* n */) {
      if (n === 4 && t.subarray(0, 4).equals(TRUE)) value = true;
      else if (n === 5 && t.subarray(0, 5).equals(FALSE)) value = false;
      else if (n === 4 && t.subarray(0, 4).equals(NULL)) value = null;
      else return fail(`"${t.toString('latin1', 0, n)}" is not a JSON value`);
    } else {
      // Only a kept number is turned into one; every number is checked.
      if (!isJsonNumber(t, n)) return fail(`"${t.toString('latin1', 0, n)}" is not a JSON value`);
      value = this.#wantsValue('number') ? Number(t.toString('latin1', 0, n)) : null;
    }
    if (value !== null) this.#keep(value);
    this.#mode = this.#stack.length === 0 ? 'end' : 'after-value';
  }

  /** The key just read, when it is one the summary looks for (else undefined); no allocation. */
  #knownKey(n: number): string | undefined {
    if (this.#captureEscaped) {
      const text = this.#decodeCapture(n);
      return KEYS.find((k) => k.text === text)?.text;
    }
    for (const key of KEYS) {
      if (key.bytes.length === n - 2 && this.#capture.compare(key.bytes, 0, key.bytes.length, 1, n - 1) === 0) return key.text;
    }
    return undefined;
  }

  /** The kept string's value (`n` bytes of JSON text, both quotes included). */
  #decodeCapture(n: number): string {
    const text = this.#capture.toString('utf8', 0, n);
    return this.#captureEscaped ? decodeString(text) : text.slice(1, -1);
  }

  /** True when the value being read is one the summary keeps, of JSON type `type`. */
  #wantsValue(type: 'string' | 'number' | 'boolean'): boolean {
    const frame = this.#stack[this.#stack.length - 1];
    if (frame?.kind !== 'object' || frame.key === undefined) return false;
    if (this.#stack.length === 1) return ENVELOPE_FIELDS[frame.key] === type;
    return type === 'string' && frame.scopeLevel === 0 && (frame.key === 'name' || frame.key === 'source_file');
  }

  #keep(value: string | number | boolean): void {
    const frame = this.#stack[this.#stack.length - 1];
    if (frame === undefined || !this.#wantsValue(typeof value as 'string' | 'number' | 'boolean')) return;
    const key = frame.key as string;
    if (this.#stack.length === 1) this.#fields[key] = value;
    else if (key === 'name') frame.name = value as string;
    else frame.sourceFile = value as string;
  }
}

function isTokenByte(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x2b || c === 0x2e || c === 0x45;
}

/** `bytes` is the string's JSON text, both quotes included. */
function decodeString(text: string): string {
  try {
    return JSON.parse(text) as string;
  } catch {
    return fail('a string has a bad escape');
  }
}

/** RFC 8259's number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`. */
function isJsonNumber(t: Buffer, n: number): boolean {
  let i = 0;
  const digit = (at: number): boolean => at < n && (t[at] as number) >= 0x30 && (t[at] as number) <= 0x39;
  if (t[i] === 0x2d) i++;
  if (!digit(i)) return false;
  if (t[i] === 0x30) i++;
  else while (digit(i)) i++;
  if (i < n && t[i] === 0x2e) {
    i++;
    if (!digit(i)) return false;
    while (digit(i)) i++;
  }
  if (i < n && (t[i] === 0x65 || t[i] === 0x45)) {
    i++;
    if (i < n && (t[i] === 0x2b || t[i] === 0x2d)) i++;
    if (!digit(i)) return false;
    while (digit(i)) i++;
  }
  return i === n;
}

function fail(why: string): never {
  throw new Error(why);
}
