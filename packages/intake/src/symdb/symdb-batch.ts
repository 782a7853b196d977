import { gunzip as gunzipCallback } from 'node:zlib';
import { DEFAULT_MAX_DECOMPRESSED_BYTES } from '@agentkit/serializer';
import { IntakeError, IntakeErrorCode } from '../errors.js';
import type { LocalSymdbUpload } from '../local-intake/local-intake.def.js';
import { multipartBoundary, parseMultipart, type MultipartPart } from './multipart-parser.js';

/** One symbol database batch, parsed: the summary the history keeps, and what it was made from. */
export interface SymdbBatch {
  readonly upload: LocalSymdbUpload;
  /** Views into the request body. */
  readonly parts: readonly MultipartPart[];
  /** The `event` part, parsed (`{}` when there is none). */
  readonly event: Readonly<Record<string, unknown>>;
  /** The `file` part, gunzipped and parsed: `{service, version, …, scopes, final}`. */
  readonly envelope: Readonly<Record<string, unknown>>;
}

/** Top-level scope names kept per batch. */
export const TOP_LEVEL_SCOPES_KEPT = 20;
/** Nesting deeper than this is not walked for the scope count (a bound on a hostile body). */
const MAX_SCOPE_DEPTH = 64;

/**
 * Reads one symbol database batch as tracers and `agentkit symdb` post it: a `file` part (a
 * gzip'd — or plain — JSON envelope `{service, version, env, language, upload_id, batch_num,
 * scopes, final}`) and an `event` part (JSON metadata; optional, older tracers send none).
 * Rejects with `ERR_INTAKE_BAD_REQUEST` when the body is not such a batch.
 */
export async function readSymdbBatch(path: string, contentType: string | undefined, body: Buffer, receivedAtMs: number): Promise<SymdbBatch> {
  const boundary = multipartBoundary(contentType);
  if (boundary === undefined) fail(`expected Content-Type multipart/form-data with a boundary, got "${contentType ?? ''}"`);
  const parts = parseMultipart(body, boundary);
  const file = parts.find((p) => p.name === 'file') ?? parts.find((p) => p.filename !== undefined && p.name !== 'event');
  if (file === undefined) fail(`no "file" part (parts: ${parts.map((p) => p.name).join(', ')})`);
  const eventPart = parts.find((p) => p.name === 'event');
  const event = eventPart === undefined ? {} : parseObject(eventPart.data, 'the "event" part');
  const raw = isGzip(file.data) ? await gunzip(file.data) : file.data;
  const envelope = parseObject(raw, 'the "file" part');
  const scopes = Array.isArray(envelope['scopes']) ? (envelope['scopes'] as unknown[]) : [];
  const files = new Set<string>();
  const names: string[] = [];
  for (const scope of scopes) {
    if (!isObject(scope)) continue;
    if (typeof scope['source_file'] === 'string') files.add(scope['source_file']);
    if (names.length < TOP_LEVEL_SCOPES_KEPT) names.push(typeof scope['name'] === 'string' ? scope['name'] : '');
  }
  const env = text(envelope['env']) ?? text(event['env']);
  const uploadId = text(envelope['upload_id']) ?? text(event['uploadId']);
  const batchNum = num(envelope['batch_num']) ?? num(event['batchNum']);
  const final = bool(envelope['final']) ?? bool(event['final']);
  const upload: LocalSymdbUpload = {
    receivedAtMs,
    path,
    service: text(envelope['service']) ?? text(event['service']) ?? '',
    version: text(envelope['version']) ?? text(event['version']) ?? '',
    ...(env === undefined ? {} : { env }),
    language: text(envelope['language']) ?? text(event['language']) ?? '',
    ...(uploadId === undefined ? {} : { uploadId }),
    ...(batchNum === undefined ? {} : { batchNum }),
    ...(final === undefined ? {} : { final }),
    scopeCount: scopes.length,
    totalScopeCount: countScopes(scopes, 0),
    fileCount: files.size,
    compressedBytes: file.data.length,
    uncompressedBytes: raw.length,
    topLevelScopes: names,
  };
  return { upload, parts, event, envelope };
}

function countScopes(scopes: readonly unknown[], depth: number): number {
  let n = 0;
  for (const scope of scopes) {
    if (!isObject(scope)) continue;
    n++;
    const children = scope['scopes'];
    if (Array.isArray(children) && depth < MAX_SCOPE_DEPTH) n += countScopes(children, depth + 1);
  }
  return n;
}

function isGzip(data: Buffer): boolean {
  return data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
}

/** On the thread pool: a 2 MiB batch inflates to tens of MiB, too long to block the loop for. */
async function gunzip(data: Buffer): Promise<Buffer> {
  try {
    return await new Promise<Buffer>((resolve, reject) =>
      gunzipCallback(data, { maxOutputLength: DEFAULT_MAX_DECOMPRESSED_BYTES }, (error, out) => (error === null ? resolve(out) : reject(error))),
    );
  } catch (error) {
    return fail(`the "file" part does not gunzip: ${(error as Error).message}`);
  }
}

function parseObject(data: Buffer, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(data.toString('utf8'));
  } catch (error) {
    return fail(`${what} is not JSON: ${(error as Error).message}`);
  }
  if (!isObject(value)) fail(`${what} is not a JSON object`);
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

function fail(why: string): never {
  throw new IntakeError(IntakeErrorCode.BadRequest, `bad symbol database upload: ${why}`);
}
