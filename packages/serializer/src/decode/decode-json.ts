import { SerializerError, SerializerErrorCode } from '../errors.js';

/** One series of a `/api/v1/series` body, as sent. */
export interface DecodedSeriesV1 {
  metric: string;
  points: [timestamp: number, value: number | null][];
  tags: string[] | null;
  host: string;
  device?: string;
  type: string;
  interval: number;
  source_type_name?: string;
}

export interface DecodedSeriesV1Payload {
  series: DecodedSeriesV1[];
}

/** One event of an `/intake/` body, as sent (optional fields absent when empty). */
export interface DecodedEvent {
  msg_title: string;
  msg_text: string;
  timestamp: number;
  priority?: string;
  host: string;
  tags?: string[];
  alert_type?: string;
  aggregation_key?: string;
  source_type_name?: string;
  event_type?: string;
}

export interface DecodedEventsPayload {
  apiKey: string;
  /** Events grouped by source type name (`api` when none). */
  events: Record<string, DecodedEvent[]>;
  internalHostname: string;
}

/** One service check of a `/api/v1/check_run` body, as sent. */
export interface DecodedServiceCheck {
  check: string;
  host_name: string;
  timestamp: number;
  status: number;
  message: string;
  tags: string[] | null;
}

/** Decodes a `/api/v1/series` body. Throws `ERR_SERIALIZER_DECODE` when it is not one. */
export function decodeSeriesV1(body: Buffer): DecodedSeriesV1Payload {
  const value = parseJson(body, 'series v1');
  if (!isObject(value) || !Array.isArray(value['series'])) fail('series v1: no "series" array');
  for (const s of value['series'] as unknown[]) {
    if (!isObject(s) || typeof s['metric'] !== 'string' || !Array.isArray(s['points'])) fail('series v1: a series without "metric" or "points"');
  }
  return value as unknown as DecodedSeriesV1Payload;
}

/** Decodes an `/intake/` events body. Throws `ERR_SERIALIZER_DECODE` when it is not one. */
export function decodeEvents(body: Buffer): DecodedEventsPayload {
  const value = parseJson(body, 'events');
  if (!isObject(value) || !isObject(value['events'])) fail('events: no "events" object');
  for (const group of Object.values(value['events'])) {
    if (!Array.isArray(group)) fail('events: a source type group is not an array');
    for (const e of group as unknown[]) if (!isObject(e) || typeof e['msg_title'] !== 'string') fail('events: an event without "msg_title"');
  }
  return value as unknown as DecodedEventsPayload;
}

/** Decodes a `/api/v1/check_run` body. Throws `ERR_SERIALIZER_DECODE` when it is not one. */
export function decodeServiceChecks(body: Buffer): DecodedServiceCheck[] {
  const value = parseJson(body, 'check_run');
  if (!Array.isArray(value)) fail('check_run: not an array');
  for (const c of value as unknown[]) {
    if (!isObject(c) || typeof c['check'] !== 'string' || typeof c['status'] !== 'number') fail('check_run: an item without "check" or "status"');
  }
  return value as DecodedServiceCheck[];
}

function parseJson(body: Buffer, what: string): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    return fail(`${what}: invalid JSON (${(error as Error).message})`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(why: string): never {
  throw new SerializerError(SerializerErrorCode.Decode, `malformed payload: ${why}`);
}
