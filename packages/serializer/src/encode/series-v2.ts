import type { PayloadFormat } from '../payload/payload-target.js';
import type { ProtoWriter } from '../protobuf/proto-writer.js';
import { WireType } from '../protobuf/proto-writer.js';
import type { Serie, SerieType } from '../serializer/metrics.def.js';
import { PROTOBUF_HEADERS } from './headers.js';
import { ORIGIN_METRIC_TYPE_AGENT_HIDDEN, originOf } from './origin.js';
import { extractResourceTags, mayHoldResourceTags } from './resource-tags.js';

/** `MetricPayload.MetricType` as the newest Datadog Agent writes it. */
export const SERIES_V2_TYPE: Readonly<Record<SerieType, number>> = { count: 1, rate: 2, gauge: 3 };

/** Field numbers of `datadog.agentpayload.MetricPayload` (agent-payload, metrics). */
export const SeriesV2Field = {
  payloadSeries: 1,
  resources: 1,
  metric: 2,
  tags: 3,
  points: 4,
  type: 5,
  unit: 6,
  sourceTypeName: 7,
  interval: 8,
  metadata: 9,
  resourceType: 1,
  resourceName: 2,
  pointValue: 1,
  pointTimestamp: 2,
  metadataOrigin: 1,
  originMetricType: 3,
  originProduct: 4,
  originCategory: 5,
  originService: 6,
} as const;

const NOTHING = Buffer.alloc(0);

/** `MetricPayload` is a repeated field and nothing else, so a run of series is a whole body. */
export const seriesV2Format: PayloadFormat = {
  endpoint: 'series_v2',
  headers: PROTOBUF_HEADERS,
  head: NOTHING,
  tail: NOTHING,
};

/**
 * Writes one `MetricPayload.series` entry, fields in the Datadog Agent's order: resources (the
 * host always, even empty; then the device and `dd.internal.resource:` tags), metric, tags,
 * type, source_type_name, interval, points, metadata (always: origin, and agent_hidden).
 */
export function writeSeriesV2(w: ProtoWriter, serie: Serie): void {
  const F = SeriesV2Field;
  const series = w.beginMessage(F.payloadSeries);
  writeResource(w, 'host', serie.host);
  // A joined tag set without resource tags (nearly every flushed serie) is written as it is.
  const joined = serie.joinedTags;
  const special = joined !== undefined && !mayHoldResourceTags(joined) ? undefined : extractResourceTags(serie.tags);
  if (special !== undefined) {
    if (special.device !== undefined) writeResource(w, 'device', special.device);
    for (const [type, name] of special.resources) writeResource(w, type, name);
  }
  w.stringField(F.metric, serie.name, true);
  if (special === undefined && joined !== undefined) w.joinedStringsField(F.tags, joined);
  else for (const tag of special?.tags ?? serie.tags) w.stringField(F.tags, tag, true);
  w.varintField(F.type, SERIES_V2_TYPE[serie.type]);
  w.stringField(F.sourceTypeName, serie.sourceTypeName ?? '');
  w.varintField(F.interval, serie.interval);
  for (const point of serie.points) {
    const p = w.beginMessage(F.points);
    w.tag(F.pointTimestamp, WireType.Varint);
    w.varint(point.timestamp);
    w.doubleField(F.pointValue, point.value);
    w.endMessage(p);
  }
  const metadata = w.beginMessage(F.metadata);
  const origin = w.beginMessage(F.metadataOrigin);
  const { product, category, service } = originOf(serie.source);
  if (serie.noIndex === true) w.varintField(F.originMetricType, ORIGIN_METRIC_TYPE_AGENT_HIDDEN);
  w.varintField(F.originProduct, product);
  w.varintField(F.originCategory, category);
  w.varintField(F.originService, service);
  w.endMessage(origin);
  w.endMessage(metadata);
  w.endMessage(series);
}

function writeResource(w: ProtoWriter, type: string, name: string): void {
  const r = w.beginMessage(SeriesV2Field.resources);
  w.stringField(SeriesV2Field.resourceType, type, true);
  w.stringField(SeriesV2Field.resourceName, name, true);
  w.endMessage(r);
}
