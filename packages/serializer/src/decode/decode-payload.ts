import { ENDPOINT_PATHS, type EndpointName } from '@agentkit/forwarder';
import { SerializerError, SerializerErrorCode } from '../errors.js';
import { decodeIntake, decodeLogs, decodeSeriesV1, decodeServiceChecks } from './decode-json.js';
import type { DecodedEventsPayload, DecodedHostMetadata, DecodedLog, DecodedSeriesV1Payload, DecodedServiceCheck } from './decode-json.js';
import { decodeSeriesV2, decodeSketches } from './decode-protobuf.js';
import type { DecodedSeriesV2Payload, DecodedSketchPayload } from './decode-protobuf.js';
import { decompressBody } from './decompress.js';

/**
 * A decoded request body, by the endpoint it was sent to; `/intake/` carries events (`intake`)
 * or host metadata (`host_metadata`).
 */
export type DecodedPayload =
  | { readonly kind: 'series_v2'; readonly payload: DecodedSeriesV2Payload }
  | { readonly kind: 'sketches_v2'; readonly payload: DecodedSketchPayload }
  | { readonly kind: 'series_v1'; readonly payload: DecodedSeriesV1Payload }
  | { readonly kind: 'intake'; readonly payload: DecodedEventsPayload }
  | { readonly kind: 'host_metadata'; readonly payload: DecodedHostMetadata }
  | { readonly kind: 'check_run_v1'; readonly payload: DecodedServiceCheck[] }
  | { readonly kind: 'logs'; readonly payload: DecodedLog[] };

export type DecodedPayloadKind = DecodedPayload['kind'];

/** Header lookup that ignores case, for node:http's lower-cased headers and plain records alike. */
type Headers = Readonly<Record<string, string | readonly string[] | undefined>>;

/** The endpoint a request path (query string allowed) is for, or undefined (`intake` for both kinds of `/intake/` body). */
export function payloadKindOf(path: string): EndpointName | undefined {
  const q = path.indexOf('?');
  const route = q < 0 ? path : path.slice(0, q);
  for (const [name, p] of Object.entries(ENDPOINT_PATHS)) if (p === route) return name as EndpointName;
  return undefined;
}

/**
 * Decompresses (by `Content-Encoding`) and decodes a request body sent to `path`. Throws
 * `ERR_SERIALIZER_DECODE` for an unknown path or a malformed body, and
 * `ERR_SERIALIZER_CONTENT_ENCODING` for a compression this runtime cannot read.
 */
export function decodePayload(path: string, headers: Headers, body: Buffer): DecodedPayload {
  const kind = payloadKindOf(path);
  if (kind === undefined) throw new SerializerError(SerializerErrorCode.Decode, `no payload format is sent to ${path}`);
  const raw = decompressBody(body, headerValue(headers, 'content-encoding'));
  switch (kind) {
    case 'series_v2':
      return { kind, payload: decodeSeriesV2(raw) };
    case 'sketches_v2':
      return { kind, payload: decodeSketches(raw) };
    case 'series_v1':
      return { kind, payload: decodeSeriesV1(raw) };
    case 'intake':
      return decodeIntake(raw);
    case 'check_run_v1':
      return { kind, payload: decodeServiceChecks(raw) };
    case 'logs':
      return { kind, payload: decodeLogs(raw) };
  }
}

/** How many items (series, sketches, events, checks) a decoded payload holds. */
export function decodedItemCount(decoded: DecodedPayload): number {
  switch (decoded.kind) {
    case 'series_v2':
    case 'series_v1':
      return decoded.payload.series.length;
    case 'sketches_v2':
      return decoded.payload.sketches.length;
    case 'intake':
      return Object.values(decoded.payload.events).reduce((n, group) => n + group.length, 0);
    case 'host_metadata':
      return 1;
    case 'check_run_v1':
    case 'logs':
      return decoded.payload.length;
  }
}

function headerValue(headers: Headers, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    return typeof value === 'string' ? value : value?.[0];
  }
  return undefined;
}
