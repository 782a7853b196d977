import { IntakeError, IntakeErrorCode } from '../errors.js';
import { inflateChunks } from '../http/inflate-stream.js';
import type { LocalSymdbUpload } from '../local-intake/local-intake.def.js';
import { EnvelopeScanner, NOT_AN_OBJECT, type EnvelopeSummary } from './envelope-scanner.js';
import { multipartBoundary, parseMultipart, type MultipartPart } from './multipart-parser.js';

/** One symbol database batch, read: the summary the history keeps, and what it was made from. */
export interface SymdbBatch {
  readonly upload: LocalSymdbUpload;
  /** Views into the request body. */
  readonly parts: readonly MultipartPart[];
  /** The `event` part, parsed (`{}` when there is none). */
  readonly event: Readonly<Record<string, unknown>>;
}

/** Top-level scope names kept per batch. */
export const TOP_LEVEL_SCOPES_KEPT = 20;
/** Nesting deeper than this is not walked for the scope count (a bound on a hostile body). */
const MAX_SCOPE_DEPTH = 64;
/**
 * The most a `file` part may inflate to. Not a memory bound (the envelope is scanned as it
 * inflates, never held): a bound on the work one request can cause. Datadog's uploaders cut
 * batches by compressed size (the Agent's at 2 MiB) and set no bound on the inflated size; a
 * 2 MiB batch of generated, repetitive code inflates past 100 MiB, real code ~10×.
 */
export const MAX_SYMDB_INFLATED_BYTES = 1024 * 1024 * 1024;

/**
 * Reads one symbol database batch as tracers and `agentkit symdb` post it: a `file` part (a
 * gzip'd — or plain — JSON envelope `{service, version, env, language, upload_id, batch_num,
 * scopes, final}`) and an `event` part (JSON metadata; optional, older tracers send none).
 * The envelope is inflated and scanned chunk by chunk: memory does not grow with its size.
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
  const summary = await scanEnvelope(file.data);
  const fields = summary.fields;
  const env = text(fields['env']) ?? text(event['env']);
  const uploadId = text(fields['upload_id']) ?? text(event['uploadId']);
  const batchNum = num(fields['batch_num']) ?? num(event['batchNum']);
  const final = bool(fields['final']) ?? bool(event['final']);
  const upload: LocalSymdbUpload = {
    receivedAtMs,
    path,
    service: text(fields['service']) ?? text(event['service']) ?? '',
    version: text(fields['version']) ?? text(event['version']) ?? '',
    ...(env === undefined ? {} : { env }),
    language: text(fields['language']) ?? text(event['language']) ?? '',
    ...(uploadId === undefined ? {} : { uploadId }),
    ...(batchNum === undefined ? {} : { batchNum }),
    ...(final === undefined ? {} : { final }),
    scopeCount: summary.scopeCount,
    totalScopeCount: summary.totalScopeCount,
    fileCount: summary.fileCount,
    compressedBytes: file.data.length,
    uncompressedBytes: summary.uncompressedBytes,
    topLevelScopes: summary.topLevelScopes,
  };
  return { upload, parts, event };
}

async function scanEnvelope(data: Buffer): Promise<EnvelopeSummary> {
  const scanner = new EnvelopeScanner({ maxScopeDepth: MAX_SCOPE_DEPTH, keepNames: TOP_LEVEL_SCOPES_KEPT });
  const what = 'the "file" part';
  if (!isGzip(data)) {
    try {
      scanner.push(data);
      return scanner.end();
    } catch (error) {
      return notJson(what, (error as Error).message);
    }
  }
  // Inflated on the thread pool a piece at a time, into the intake's reused inflate buffers
  // (inflateChunks): a batch may inflate to hundreds of MiB.
  let inflated = 0;
  try {
    await inflateChunks(data, 'gzip', (chunk) => {
      inflated += chunk.length;
      if (inflated > MAX_SYMDB_INFLATED_BYTES) throw new TooLarge();
      try {
        scanner.push(chunk);
      } catch (error) {
        throw new NotJson((error as Error).message);
      }
    }, Number.MAX_SAFE_INTEGER);
  } catch (error) {
    if (error instanceof TooLarge) return fail(`${what} inflates to more than ${MAX_SYMDB_INFLATED_BYTES} bytes`);
    if (error instanceof NotJson) return notJson(what, error.message);
    // zlib's own reason (the cause), as the gunzip stream gave it.
    const reason = (error as Error).cause instanceof Error ? ((error as Error).cause as Error) : (error as Error);
    return fail(`${what} does not gunzip: ${reason.message}`);
  }
  try {
    return scanner.end();
  } catch (error) {
    return notJson(what, (error as Error).message);
  }
}

function notJson(what: string, why: string): never {
  return fail(why === NOT_AN_OBJECT ? `${what} is not a JSON object` : `${what} is not JSON: ${why}`);
}

class TooLarge extends Error {}
class NotJson extends Error {}

function isGzip(data: Buffer): boolean {
  return data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
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
