import type { PayloadFormat } from '../payload/payload-builder.js';
import type { ProtoWriter } from '../protobuf/proto-writer.js';
import type { Event, Serie, ServiceCheck } from '../serializer/metrics.def.js';
import { JSON_HEADERS } from './headers.js';
import { extractResourceTags } from './resource-tags.js';

// JSON items are written each followed by a comma; `wrap` drops the last comma of a run.
const COMMA = ',';

/** Source type under which events without one are grouped, as the Datadog Agent does. */
export const DEFAULT_EVENT_SOURCE_TYPE = 'api';

/** `{"series":[…]}` to /api/v1/series. */
export const seriesV1Format: PayloadFormat = {
  endpoint: 'series_v1',
  headers: JSON_HEADERS,
  overheadBytes: '{"series":[]}'.length,
  wrap: (items) => Buffer.concat([Buffer.from('{"series":['), trimComma(items), Buffer.from(']}')]),
};

/** `[…]` to /api/v1/check_run. */
export const serviceChecksFormat: PayloadFormat = {
  endpoint: 'check_run_v1',
  headers: JSON_HEADERS,
  overheadBytes: 2,
  wrap: (items) => Buffer.concat([Buffer.from('['), trimComma(items), Buffer.from(']')]),
};

/**
 * `{"apiKey":"","events":{"<source type>":[…],…},"internalHostname":"<host>"}` to /intake/.
 * Items must come grouped by key (the source type): `wrap` opens one group per run of a key.
 */
export function eventsFormat(internalHostname: string): PayloadFormat {
  const head = Buffer.from('{"apiKey":"","events":{');
  const tail = Buffer.from(`},"internalHostname":${JSON.stringify(internalHostname)}}`);
  return {
    endpoint: 'intake',
    headers: JSON_HEADERS,
    overheadBytes: head.length + tail.length,
    wrap(items, starts, keys) {
      const parts: Buffer[] = [head];
      for (let i = 0; i < starts.length; ) {
        const key = keys[i] ?? DEFAULT_EVENT_SOURCE_TYPE;
        let j = i + 1;
        while (j < starts.length && keys[j] === key) j++;
        const end = j < starts.length ? (starts[j] as number) : items.length;
        parts.push(Buffer.from(`${i > 0 ? ',' : ''}${JSON.stringify(key)}:[`));
        parts.push(trimComma(items.subarray(starts[i], end)), Buffer.from(']'));
        i = j;
      }
      parts.push(tail);
      return Buffer.concat(parts);
    },
  };
}

/** What grouping an event costs in `wrap`, at most: its group's key, brackets and a comma. */
export function eventGroupBytes(key: string): number {
  return Buffer.byteLength(JSON.stringify(key)) + 4;
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
  w.text(json + '}' + COMMA);
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
  w.text(JSON.stringify(out) + COMMA);
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
  w.text(json + COMMA);
}

function trimComma(items: Buffer): Buffer {
  return items.length > 0 && items[items.length - 1] === COMMA.charCodeAt(0) ? items.subarray(0, items.length - 1) : items;
}

function jsonNumber(value: number): string {
  // JSON has no NaN or Infinity; the Agent's encoder fails on them, we send null rather than break the payload.
  return Number.isFinite(value) ? String(value) : 'null';
}
