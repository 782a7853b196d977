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

/**
 * The host metadata payload of `/intake/` (the Agent's "v5" metadata), as sent: the fields
 * decoders rely on are checked, the rest is kept as it came.
 */
export interface DecodedHostMetadata {
  internalHostname: string;
  agentVersion?: string;
  os?: string;
  meta?: Record<string, unknown>;
  'host-tags': { system?: string[]; [source: string]: string[] | undefined };
  [field: string]: unknown;
}

/** What an `/intake/` body holds: the v1 intake takes events and host metadata alike. */
export type DecodedIntakePayload = { readonly kind: 'intake'; readonly payload: DecodedEventsPayload } | { readonly kind: 'host_metadata'; readonly payload: DecodedHostMetadata };

/**
 * Decodes an `/intake/` body, telling events from host metadata by their fields, as the v1
 * intake does: `events` makes it events; `internalHostname` with `host-tags` or `meta` (and no
 * `events`) makes it host metadata. Throws `ERR_SERIALIZER_DECODE` when it is neither.
 */
export function decodeIntake(body: Buffer): DecodedIntakePayload {
  const value = parseJson(body, 'intake');
  if (isObject(value) && !('events' in value) && typeof value['internalHostname'] === 'string' && (isObject(value['host-tags']) || isObject(value['meta']))) {
    return { kind: 'host_metadata', payload: checkHostMetadata(value) };
  }
  return { kind: 'intake', payload: checkEvents(value) };
}

/** Decodes an `/intake/` events body. Throws `ERR_SERIALIZER_DECODE` when it is not one. */
export function decodeEvents(body: Buffer): DecodedEventsPayload {
  return checkEvents(parseJson(body, 'events'));
}

function checkHostMetadata(value: Record<string, unknown>): DecodedHostMetadata {
  const tags = value['host-tags'];
  if (tags !== undefined && !isObject(tags)) fail('host metadata: "host-tags" is not an object');
  for (const [source, list] of Object.entries(tags ?? {})) {
    if (!Array.isArray(list) || !list.every((t) => typeof t === 'string')) fail(`host metadata: host-tags.${source} is not a list of strings`);
  }
  return { ...value, 'host-tags': (tags ?? {}) as DecodedHostMetadata['host-tags'] } as DecodedHostMetadata;
}

function checkEvents(value: unknown): DecodedEventsPayload {
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

/** One log as the HTTP logs intake (`/api/v2/logs`) takes it: reserved attributes, then any others. */
export interface DecodedLog {
  readonly message: string;
  readonly status?: string;
  readonly timestamp?: number;
  readonly hostname?: string;
  readonly service?: string;
  readonly ddsource?: string;
  readonly ddtags?: string;
  readonly [attribute: string]: unknown;
}

/** Decodes a `/api/v2/logs` body (a JSON array of log objects). Throws `ERR_SERIALIZER_DECODE` when it is not one. */
export function decodeLogs(body: Buffer): DecodedLog[] {
  const value = parseJson(body, 'logs');
  if (!Array.isArray(value)) fail('logs: not an array');
  for (const log of value as unknown[]) {
    if (!isObject(log) || typeof log['message'] !== 'string') fail('logs: an item that is not an object with a "message" string');
  }
  return value as DecodedLog[];
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
