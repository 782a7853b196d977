import type { IncomingMessage } from 'node:http';
import type { DropCounter } from '@agentkit/core';
import { decodePayload, payloadKindOf, SerializerError, SerializerErrorCode, type DecodedPayload } from '@agentkit/serializer';
import { IntakeError } from '../errors.js';
import { readDebuggerUpload } from '../debugger/debugger-upload.js';
import { uploadHeaders } from '../debugger/upload-headers.js';
import { multipartBoundary, parseMultipart } from '../symdb/multipart-parser.js';
import { readSymdbBatch } from '../symdb/symdb-batch.js';
import type { IntakeRequest } from './intake-request.js';
import { StreamedSeriesV2, StreamedSketches, type ArrivalSift } from './streamed-payload.js';
import type { RouteName } from './intake-stats.js';

/** A request read and decoded, and the status the intake refuses it with when it did not decode. */
export interface ReadRequest {
  readonly request: IntakeRequest;
  readonly refusal: 400 | 415;
}

type DecodedContent = Partial<Pick<IntakeRequest, 'decoded' | 'symdb' | 'debugger' | 'decodeError'>>;

/** The request as read, without decoding its body (one refused before it was read whole). */
export function undecodedRequest(req: IncomingMessage, route: RouteName, body: Buffer, index: number, content: DecodedContent = {}): IntakeRequest {
  return {
    index,
    route,
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    headers: req.headers,
    body,
    decoded: content.decoded,
    symdb: content.symdb,
    debugger: content.debugger,
    decodeError: content.decodeError,
  };
}

/**
 * Decodes a POSTed Datadog payload or symdb batch, once, for the intake's answer, its fault plan
 * and its observer alike. What does not decode is counted in `drops` here, whatever the
 * answer will be. Rejects only on a bug (an error that is not a decode error).
 */
export async function readRequest(req: IncomingMessage, route: RouteName, body: Buffer, index: number, drops: DropCounter, sift?: ArrivalSift): Promise<ReadRequest> {
  const path = req.url ?? '/';
  const plain = (refusal: 400 | 415, content: DecodedContent = {}): ReadRequest => ({ request: undecodedRequest(req, route, body, index, content), refusal });
  if (req.method !== 'POST' || route === 'validate' || route === 'api' || route === 'page' || route === 'not_found') return plain(400);
  if (route === 'debugger' || (route === 'symdb' && path.split('?', 1)[0] === DEBUGGER_INTAKE_PATH && !isSymdbBody(req.headers['content-type'], body))) {
    try {
      return plain(400, { debugger: readDebuggerUpload(path, req.headers, body, Date.now()) });
    } catch (error) {
      if (!(error instanceof IntakeError)) throw error;
      drops.drop('bad_debugger_upload', 1, { path, bytes: body.length, error: error.message });
      return plain(400, { decodeError: error.message });
    }
  }
  if (route === 'symdb') {
    try {
      const batch = await readSymdbBatch(path.split('?', 1)[0] ?? path, req.headers['content-type'], body, Date.now());
      return plain(400, { symdb: { ...batch, upload: { ...batch.upload, headers: uploadHeaders(req.headers, path) } } });
    } catch (error) {
      if (!(error instanceof IntakeError)) throw error;
      drops.drop('bad_multipart', 1, { path, bytes: body.length, error: error.message });
      return plain(400, { decodeError: error.message });
    }
  }
  try {
    return plain(400, { decoded: await decodeBody(path, req.headers, body, sift) });
  } catch (error) {
    const unsupported = error instanceof SerializerError && error.code === SerializerErrorCode.ContentEncoding;
    drops.drop(unsupported ? 'unsupported_encoding' : 'decode_error', 1, { path, bytes: body.length, error: (error as Error).message });
    return plain(unsupported ? 415 : 400, { decodeError: (error as Error).message });
  }
}

/** Datadog's debugger intake path: symdb batches and Dynamic Instrumentation uploads share it. */
const DEBUGGER_INTAKE_PATH = '/api/v2/debugger';

/**
 * `/api/v2/debugger` takes symbol database batches (a multipart body with a `file` part) and
 * Dynamic Instrumentation uploads (JSON, or a multipart body with an `event` part only) alike,
 * as Datadog's debugger intake does; a body that is neither goes to the symdb reader, which says why.
 */
function isSymdbBody(contentType: string | undefined, body: Buffer): boolean {
  const boundary = multipartBoundary(contentType);
  if (boundary === undefined) return !(contentType ?? '').toLowerCase().includes('json');
  try {
    return parseMultipart(body, boundary).some((p) => p.name === 'file' || (p.filename !== undefined && p.name !== 'event'));
  } catch {
    return true;
  }
}

/**
 * Series and sketches payloads are checked now, scanned from the inflate stream (and sifted by
 * the history when it takes no new context), and decoded item by item when stored (see
 * StreamedSeriesV2); the rest whole.
 */
async function decodeBody(path: string, headers: IncomingMessage['headers'], body: Buffer, sift: ArrivalSift | undefined): Promise<DecodedPayload> {
  const kind = payloadKindOf(path);
  if (kind !== 'series_v2' && kind !== 'sketches_v2') return decodePayload(path, headers, body);
  const encoding = headers['content-encoding'];
  return kind === 'series_v2' ? StreamedSeriesV2.read(body, encoding, sift) : StreamedSketches.read(body, encoding, sift);
}
