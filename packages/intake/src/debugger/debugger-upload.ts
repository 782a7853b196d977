import type { IncomingHttpHeaders } from 'node:http';
import { decompressBody } from '@agentkit/serializer';
import { IntakeError, IntakeErrorCode } from '../errors.js';
import type { LocalDebuggerUpload } from '../local-intake/local-intake.def.js';
import { multipartBoundary, parseMultipart } from '../symdb/multipart-parser.js';
import { uploadHeaders } from './upload-headers.js';

/** The trace agent's debugger routes, as the local intake receives them from agentkit's proxy. */
export const DEBUGGER_PATHS: readonly string[] = ['/debugger/v1/input', '/debugger/v1/diagnostics', '/debugger/v2/input'];
/** Characters of the first item's message kept. */
const SAMPLE_CHARS = 200;

/**
 * Reads one Dynamic Instrumentation upload as tracers send it: a JSON array of snapshots or
 * logs (`application/json`, maybe compressed as `Content-Encoding` says), or a
 * `multipart/form-data` body whose `event` part is such an array (diagnostics). Keeps a
 * summary: item count, the first item's service and message or probe status, the headers
 * that matter. Throws `ERR_INTAKE_BAD_REQUEST` for a body that is neither.
 */
export function readDebuggerUpload(rawUrl: string, headers: IncomingHttpHeaders, body: Buffer, receivedAtMs: number): LocalDebuggerUpload {
  const contentType = headers['content-type'];
  const path = rawUrl.split('?', 1)[0] ?? rawUrl;
  const boundary = multipartBoundary(contentType);
  let items: unknown[];
  let parts: string[] = [];
  if (boundary !== undefined) {
    const form = parseMultipart(body, boundary);
    parts = form.map((p) => p.name);
    const event = form.find((p) => p.name === 'event') ?? form.find((p) => isJsonType(p.contentType));
    items = event === undefined ? [] : toItems(parseJson(event.data, `the "${event.name}" part`));
  } else {
    if (!isJsonType(contentType)) fail(`expected Content-Type application/json or multipart/form-data, got "${contentType ?? ''}"`);
    let raw: Buffer;
    try {
      raw = decompressBody(body, one(headers['content-encoding']));
    } catch (error) {
      return fail(`the body does not decompress: ${(error as Error).message}`);
    }
    items = toItems(parseJson(raw, 'the body'));
  }
  const first = items.find(isObject);
  const service = first === undefined ? undefined : text(first['service']);
  const sample = first === undefined ? undefined : sampleOf(first);
  return {
    receivedAtMs,
    path,
    contentType: contentType ?? '',
    bytes: body.length,
    items: items.length,
    ...(parts.length === 0 ? {} : { parts }),
    ...(service === undefined ? {} : { service }),
    ...(sample === undefined ? {} : { sample }),
    headers: uploadHeaders(headers, rawUrl),
  };
}

/** The message of a log or snapshot, else the status of a diagnostics item. */
function sampleOf(item: Record<string, unknown>): string | undefined {
  const message = text(item['message']);
  if (message !== undefined) return message.slice(0, SAMPLE_CHARS);
  const dbg = item['debugger'];
  const diagnostics = isObject(dbg) ? dbg['diagnostics'] : undefined;
  if (isObject(diagnostics)) return `${text(diagnostics['status']) ?? '?'} ${text(diagnostics['probeId']) ?? ''}`.trim().slice(0, SAMPLE_CHARS);
  return undefined;
}

function toItems(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function isJsonType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const media = (contentType.split(';', 1)[0] ?? '').trim().toLowerCase();
  return media === 'application/json' || media.endsWith('+json');
}

function parseJson(data: Buffer, what: string): unknown {
  try {
    return JSON.parse(data.toString('utf8'));
  } catch (error) {
    return fail(`${what} is not JSON: ${(error as Error).message}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function fail(why: string): never {
  throw new IntakeError(IntakeErrorCode.BadRequest, `bad debugger upload: ${why}`);
}
