import type { DecodedEvent, DecodedLog, DecodedMetricSeries, DecodedSeriesV1, DecodedServiceCheck } from '@agentkit/serializer';
import type { LocalEvent, LocalLog, LocalSeriesType, LocalServiceCheck, ServiceCheckStatusName } from '../local-intake/local-intake.def.js';
import { V2_TYPE_NAMES } from './context-hash.js';
import type { IncomingSeries } from './series-store.js';

// Decoded payload items turned into the shapes the history stores and shows.

/** How much of each log message is kept. */
export const LOG_MESSAGE_KEPT_CHARS = 16 * 1024;
const RESERVED_LOG_FIELDS = new Set(['message', 'status', 'timestamp', 'hostname', 'service', 'ddsource', 'ddtags']);
const STATUS_NAMES: readonly ServiceCheckStatusName[] = ['OK', 'WARNING', 'CRITICAL', 'UNKNOWN'];

/** v2: the `host` resource is the host; a `device` resource and other resources go back to tags. */
export function fromV2(s: DecodedMetricSeries): IncomingSeries {
  let host = '';
  let tags: string[] = s.tags;
  for (const r of s.resources) {
    if (r.type === 'host') host = r.name;
    else {
      if (tags === s.tags) tags = [...s.tags];
      tags.push(r.type === 'device' ? `device:${r.name}` : `dd.internal.resource:${r.type}:${r.name}`);
    }
  }
  return {
    metric: s.metric,
    tags,
    host,
    type: V2_TYPE_NAMES[s.type] ?? 'unspecified',
    interval: s.interval,
    points: s.points.map((p) => ({ ts: p.timestamp, value: p.value })),
  };
}

export function fromV1(s: DecodedSeriesV1): IncomingSeries {
  const tags = s.tags === null ? [] : [...s.tags];
  if (typeof s.device === 'string' && s.device !== '') tags.push(`device:${s.device}`);
  const type: LocalSeriesType = s.type === 'count' || s.type === 'rate' || s.type === 'gauge' ? s.type : 'unspecified';
  return {
    metric: s.metric,
    tags,
    host: typeof s.host === 'string' ? s.host : '',
    type,
    interval: typeof s.interval === 'number' ? s.interval : 0,
    // v1 allows `[ts, null]`; a null becomes NaN here and is counted as an invalid point.
    points: s.points.map((p) => ({ ts: Number(p[0]), value: typeof p[1] === 'number' ? p[1] : Number.NaN })),
  };
}

export function toLocalEvent(e: DecodedEvent, receivedAtMs: number): LocalEvent {
  return {
    receivedAtMs,
    title: e.msg_title,
    text: typeof e.msg_text === 'string' ? e.msg_text : '',
    timestamp: typeof e.timestamp === 'number' ? e.timestamp : 0,
    host: typeof e.host === 'string' ? e.host : '',
    tags: Array.isArray(e.tags) ? e.tags : [],
    priority: e.priority ?? 'normal',
    alertType: e.alert_type ?? 'info',
    ...(e.aggregation_key === undefined ? {} : { aggregationKey: e.aggregation_key }),
    ...(e.source_type_name === undefined ? {} : { sourceTypeName: e.source_type_name }),
  };
}

export function toLocalCheck(c: DecodedServiceCheck, receivedAtMs: number): LocalServiceCheck {
  return {
    receivedAtMs,
    check: c.check,
    host: typeof c.host_name === 'string' ? c.host_name : '',
    timestamp: typeof c.timestamp === 'number' ? c.timestamp : 0,
    status: c.status,
    statusName: STATUS_NAMES[c.status] ?? 'UNKNOWN',
    message: typeof c.message === 'string' ? c.message : '',
    tags: Array.isArray(c.tags) ? c.tags : [],
  };
}

export function toLocalLog(log: DecodedLog, receivedAtMs: number): LocalLog {
  const attributes: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(log)) if (!RESERVED_LOG_FIELDS.has(name)) attributes[name] = value;
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  return {
    receivedAtMs,
    timestamp: typeof log.timestamp === 'number' ? log.timestamp : 0,
    status: text(log.status) === '' ? 'info' : text(log.status),
    message: log.message.length > LOG_MESSAGE_KEPT_CHARS ? log.message.slice(0, LOG_MESSAGE_KEPT_CHARS) : log.message,
    messageLength: log.message.length,
    service: text(log.service),
    ddsource: text(log.ddsource),
    hostname: text(log.hostname),
    tags: text(log.ddtags) === '' ? [] : text(log.ddtags).split(','),
    attributes,
  };
}
