import type { PayloadFormat } from '../payload/payload-target.js';
import type { ProtoWriter } from '../protobuf/proto-writer.js';
import type { Event, Serie, ServiceCheck } from '../serializer/metrics.def.js';
import { JSON_HEADERS } from './headers.js';
import { extractResourceTags } from './resource-tags.js';

/** Source type under which events without one are grouped, as the Datadog Agent does. */
export const DEFAULT_EVENT_SOURCE_TYPE = 'api';

const commaBetween = (previousKey: string | undefined): string => (previousKey === undefined ? '' : ',');

/** `{"series":[…]}` to /api/v1/series. */
export const seriesV1Format: PayloadFormat = {
  endpoint: 'series_v1',
  headers: JSON_HEADERS,
  head: Buffer.from('{"series":['),
  tail: Buffer.from(']}'),
  separator: commaBetween,
};

/** `[…]` to /api/v1/check_run. */
export const serviceChecksFormat: PayloadFormat = {
  endpoint: 'check_run_v1',
  headers: JSON_HEADERS,
  head: Buffer.from('['),
  tail: Buffer.from(']'),
  separator: commaBetween,
};

/**
 * `{"apiKey":"","events":{"<source type>":[…],…},"internalHostname":"<host>"}` to /intake/.
 * Items must come grouped by key (the source type): a group opens at each run of a key.
 */
export function eventsFormat(internalHostname: string): PayloadFormat {
  return {
    endpoint: 'intake',
    headers: JSON_HEADERS,
    head: Buffer.from('{"apiKey":"","events":{'),
    tail: Buffer.from(`]},"internalHostname":${JSON.stringify(internalHostname)}}`),
    separator(previousKey, key) {
      if (previousKey === key) return ',';
      return `${previousKey === undefined ? '' : '],'}${JSON.stringify(key)}:[`;
    },
  };
}

/** The group (source type) an event is filed under. */
export function eventGroupKey(event: Event): string {
  return event.sourceTypeName !== undefined && event.sourceTypeName !== '' ? event.sourceTypeName : DEFAULT_EVENT_SOURCE_TYPE;
}

/** One v1 series object; `device:` becomes the `device` field. NoIndex series are not sent in v1. */
export function writeSeriesV1(w: ProtoWriter, serie: Serie): void {
  const special = extractResourceTags(serie.tags, false);
  let points = '';
  for (const p of serie.points) points += `${points === '' ? '' : ','}[${p.timestamp},${jsonNumber(p.value)}]`;
  let json = `{"metric":${JSON.stringify(serie.name)},"points":[${points}],"tags":${JSON.stringify(special?.tags ?? serie.tags)},"host":${JSON.stringify(serie.host)}`;
  if (special?.device !== undefined) json += `,"device":${JSON.stringify(special.device)}`;
  json += `,"type":"${serie.type}","interval":${serie.interval}`;
  if (serie.sourceTypeName !== undefined && serie.sourceTypeName !== '') json += `,"source_type_name":${JSON.stringify(serie.sourceTypeName)}`;
  w.text(json + '}');
}

/** One event object, optional fields left out when empty (the Agent's `omitempty`). */
export function writeEvent(w: ProtoWriter, event: Event): void {
  const out: Record<string, unknown> = {
    msg_title: event.title,
    msg_text: event.text,
    timestamp: event.timestamp,
    priority: event.priority,
    host: event.host,
  };
  if (event.tags.length > 0) out['tags'] = event.tags;
  out['alert_type'] = event.alertType;
  if (event.aggregationKey !== undefined && event.aggregationKey !== '') out['aggregation_key'] = event.aggregationKey;
  if (event.sourceTypeName !== undefined && event.sourceTypeName !== '') out['source_type_name'] = event.sourceTypeName;
  w.text(JSON.stringify(out));
}

/** One check_run object; `tags` is null when empty, as the intake expects for legacy reasons. */
export function writeServiceCheck(w: ProtoWriter, check: ServiceCheck): void {
  const json = JSON.stringify({
    check: check.name,
    host_name: check.host,
    timestamp: check.timestamp,
    status: check.status,
    message: check.message,
    tags: check.tags.length > 0 ? check.tags : null,
  });
  w.text(json);
}

function jsonNumber(value: number): string {
  // JSON has no NaN or Infinity; the Agent's encoder fails on them, we send null rather than break the payload.
  return Number.isFinite(value) ? String(value) : 'null';
}
