import type { PayloadFormat } from '../payload/payload-target.js';
import type { ProtoWriter } from '../protobuf/proto-writer.js';
import type { Dogsketch, SketchSeries } from '../serializer/metrics.def.js';
import { PROTOBUF_HEADERS } from './headers.js';
import { originOf } from './origin.js';

/** Field numbers of `datadog.agentpayload.SketchPayload` (agent-payload, metrics). */
export const SketchField = {
  payloadSketches: 1,
  payloadMetadata: 2,
  metric: 1,
  host: 2,
  distributions: 3,
  tags: 4,
  dogsketches: 7,
  metadata: 8,
  ts: 1,
  cnt: 2,
  min: 3,
  max: 4,
  avg: 5,
  sum: 6,
  k: 7,
  n: 8,
  metadataOrigin: 1,
  originProduct: 4,
  originCategory: 5,
  originService: 6,
} as const;

// `SketchPayload.metadata` (field 2), sent empty as the Datadog Agent does.
const EMPTY_PAYLOAD_METADATA = Buffer.from([(SketchField.payloadMetadata << 3) | 2, 0]);

/** Sketches are a repeated field followed by the (empty) payload metadata. */
export const sketchesFormat: PayloadFormat = {
  endpoint: 'sketches_v2',
  headers: PROTOBUF_HEADERS,
  head: Buffer.alloc(0),
  tail: EMPTY_PAYLOAD_METADATA,
};

/** Writes one `SketchPayload.sketches` entry: one `Dogsketch` per flushed bucket, k/n packed. */
export function writeSketch(w: ProtoWriter, sketch: SketchSeries): void {
  const F = SketchField;
  const entry = w.beginMessage(F.payloadSketches);
  w.stringField(F.metric, sketch.name, true);
  w.stringField(F.host, sketch.host);
  if (sketch.joinedTags !== undefined) w.joinedStringsField(F.tags, sketch.joinedTags);
  else for (const tag of sketch.tags) w.stringField(F.tags, tag, true);
  for (const point of sketch.points) writeDogsketch(w, point);
  const metadata = w.beginMessage(F.metadata);
  const origin = w.beginMessage(F.metadataOrigin);
  const { product, category, service } = originOf(sketch.source);
  w.varintField(F.originProduct, product);
  w.varintField(F.originCategory, category);
  w.varintField(F.originService, service);
  w.endMessage(origin);
  w.endMessage(metadata);
  w.endMessage(entry);
}

function writeDogsketch(w: ProtoWriter, d: Dogsketch): void {
  const F = SketchField;
  const m = w.beginMessage(F.dogsketches);
  w.varintField(F.ts, d.ts);
  w.varintField(F.cnt, d.cnt);
  w.doubleField(F.min, d.min);
  w.doubleField(F.max, d.max);
  w.doubleField(F.avg, d.avg);
  w.doubleField(F.sum, d.sum);
  if (d.k.length > 0) {
    const k = w.beginMessage(F.k);
    for (let i = 0; i < d.k.length; i++) w.sint32(d.k[i] as number);
    w.endMessage(k);
  }
  if (d.n.length > 0) {
    const n = w.beginMessage(F.n);
    for (let i = 0; i < d.n.length; i++) w.varint(d.n[i] as number);
    w.endMessage(n);
  }
  w.endMessage(m);
}
