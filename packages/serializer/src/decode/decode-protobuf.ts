import { SeriesV2Field as F } from '../encode/series-v2.js';
import { SketchField as S } from '../encode/sketches.js';
import { ProtoReader } from '../protobuf/proto-reader.js';
import { WireType } from '../protobuf/proto-writer.js';

/** `MetricPayload.MetricSeries.Resource`. */
export interface DecodedResource {
  type: string;
  name: string;
}

/** `metadata.origin`, numbers as written (0 when absent). */
export interface DecodedOrigin {
  metricType: number;
  product: number;
  category: number;
  service: number;
}

/** One `MetricPayload.MetricSeries`, every field (proto3 defaults when absent). */
export interface DecodedMetricSeries {
  resources: DecodedResource[];
  metric: string;
  tags: string[];
  points: { timestamp: number; value: number }[];
  /** 1 COUNT, 2 RATE, 3 GAUGE (0 unspecified). */
  type: number;
  unit: string;
  sourceTypeName: string;
  interval: number;
  /** Undefined when the series has no metadata field. */
  origin: DecodedOrigin | undefined;
}

export interface DecodedSeriesV2Payload {
  series: DecodedMetricSeries[];
}

export interface DecodedDogsketch {
  ts: number;
  cnt: number;
  min: number;
  max: number;
  avg: number;
  sum: number;
  k: number[];
  n: number[];
}

export interface DecodedSketch {
  metric: string;
  host: string;
  tags: string[];
  dogsketches: DecodedDogsketch[];
  /** Legacy `Distribution` entries (field 3): counted, not decoded. */
  distributionCount: number;
  origin: DecodedOrigin | undefined;
}

export interface DecodedSketchPayload {
  sketches: DecodedSketch[];
}

/** Decodes a `/api/v2/series` body (uncompressed). Throws `ERR_SERIALIZER_DECODE` when malformed. */
export function decodeSeriesV2(body: Buffer): DecodedSeriesV2Payload {
  const series: DecodedMetricSeries[] = [];
  forEachSeriesV2(body, (s) => series.push(s));
  return { series };
}

/**
 * Decodes a `/api/v2/series` body (uncompressed) one series at a time, handing each to `visit`
 * as soon as it is read and keeping none: a reader that keeps a few (a bounded history) holds
 * one series at a time, not the payload's. Returns how many there were. Throws
 * `ERR_SERIALIZER_DECODE` when malformed, possibly after some series were visited.
 */
export function forEachSeriesV2(body: Buffer, visit: (series: DecodedMetricSeries) => void): number {
  const r = new ProtoReader(body);
  let n = 0;
  while (!r.done) {
    const { field, wireType } = r.tag();
    if (field === F.payloadSeries) {
      r.expect(wireType, WireType.LengthDelimited, 'MetricPayload.series');
      visit(decodeMetricSeries(r.message()));
      n++;
    } else r.skip(wireType);
  }
  return n;
}

/** One series whose message (without its field header) is `buf[start, end)`, as a scanner found it (`ScannedSeries`). */
export function decodeSeriesV2At(buf: Buffer, start: number, end: number): DecodedMetricSeries {
  return decodeMetricSeries(new ProtoReader(buf, start, end));
}

function decodeMetricSeries(r: ProtoReader): DecodedMetricSeries {
  const s: DecodedMetricSeries = {
    resources: [],
    metric: '',
    tags: [],
    points: [],
    type: 0,
    unit: '',
    sourceTypeName: '',
    interval: 0,
    origin: undefined,
  };
  while (!r.done) {
    const { field, wireType } = r.tag();
    switch (field) {
      case F.resources:
        s.resources.push(decodeResource(r.message()));
        break;
      case F.metric:
        s.metric = r.string();
        break;
      case F.tags:
        s.tags.push(r.string());
        break;
      case F.points:
        s.points.push(decodePoint(r.message()));
        break;
      case F.type:
        s.type = r.varint();
        break;
      case F.unit:
        s.unit = r.string();
        break;
      case F.sourceTypeName:
        s.sourceTypeName = r.string();
        break;
      case F.interval:
        s.interval = r.varint();
        break;
      case F.metadata:
        s.origin = decodeMetadata(r.message());
        break;
      default:
        r.skip(wireType);
    }
  }
  return s;
}

function decodeResource(r: ProtoReader): DecodedResource {
  const res = { type: '', name: '' };
  while (!r.done) {
    const { field, wireType } = r.tag();
    if (field === F.resourceType) res.type = r.string();
    else if (field === F.resourceName) res.name = r.string();
    else r.skip(wireType);
  }
  return res;
}

function decodePoint(r: ProtoReader): { timestamp: number; value: number } {
  const p = { timestamp: 0, value: 0 };
  while (!r.done) {
    const { field, wireType } = r.tag();
    if (field === F.pointValue) {
      r.expect(wireType, WireType.Fixed64, 'MetricPoint.value');
      p.value = r.double();
    } else if (field === F.pointTimestamp) p.timestamp = r.varint();
    else r.skip(wireType);
  }
  return p;
}

/** `Metadata { Origin origin = 1 }`, shared by series and sketches. */
function decodeMetadata(r: ProtoReader): DecodedOrigin {
  const origin: DecodedOrigin = { metricType: 0, product: 0, category: 0, service: 0 };
  while (!r.done) {
    const { field, wireType } = r.tag();
    if (field !== F.metadataOrigin) {
      r.skip(wireType);
      continue;
    }
    const o = r.message();
    while (!o.done) {
      const t = o.tag();
      if (t.field === F.originMetricType) origin.metricType = o.varint();
      else if (t.field === F.originProduct) origin.product = o.varint();
      else if (t.field === F.originCategory) origin.category = o.varint();
      else if (t.field === F.originService) origin.service = o.varint();
      else o.skip(t.wireType);
    }
  }
  return origin;
}

/** Decodes a `/api/beta/sketches` body (uncompressed). Throws `ERR_SERIALIZER_DECODE` when malformed. */
export function decodeSketches(body: Buffer): DecodedSketchPayload {
  const sketches: DecodedSketch[] = [];
  forEachSketch(body, (s) => sketches.push(s));
  return { sketches };
}

/** `forEachSeriesV2` for a `/api/beta/sketches` body: each sketch series as it is read. */
export function forEachSketch(body: Buffer, visit: (sketch: DecodedSketch) => void): number {
  const r = new ProtoReader(body);
  let n = 0;
  while (!r.done) {
    const { field, wireType } = r.tag();
    if (field === S.payloadSketches) {
      r.expect(wireType, WireType.LengthDelimited, 'SketchPayload.sketches');
      visit(decodeSketch(r.message()));
      n++;
    } else r.skip(wireType);
  }
  return n;
}

/** One sketch series whose message is `buf[start, end)` (see `decodeSeriesV2At`). */
export function decodeSketchAt(buf: Buffer, start: number, end: number): DecodedSketch {
  return decodeSketch(new ProtoReader(buf, start, end));
}

function decodeSketch(r: ProtoReader): DecodedSketch {
  const s: DecodedSketch = { metric: '', host: '', tags: [], dogsketches: [], distributionCount: 0, origin: undefined };
  while (!r.done) {
    const { field, wireType } = r.tag();
    switch (field) {
      case S.metric:
        s.metric = r.string();
        break;
      case S.host:
        s.host = r.string();
        break;
      case S.tags:
        s.tags.push(r.string());
        break;
      case S.distributions:
        r.skip(wireType);
        s.distributionCount += 1;
        break;
      case S.dogsketches:
        s.dogsketches.push(decodeDogsketch(r.message()));
        break;
      case S.metadata:
        s.origin = decodeMetadata(r.message());
        break;
      default:
        r.skip(wireType);
    }
  }
  return s;
}

function decodeDogsketch(r: ProtoReader): DecodedDogsketch {
  const d: DecodedDogsketch = { ts: 0, cnt: 0, min: 0, max: 0, avg: 0, sum: 0, k: [], n: [] };
  while (!r.done) {
    const { field, wireType } = r.tag();
    switch (field) {
      case S.ts:
        d.ts = r.varint();
        break;
      case S.cnt:
        d.cnt = r.varint();
        break;
      case S.min:
        d.min = r.double();
        break;
      case S.max:
        d.max = r.double();
        break;
      case S.avg:
        d.avg = r.double();
        break;
      case S.sum:
        d.sum = r.double();
        break;
      case S.k:
        r.packedVarints(wireType, d.k, true);
        break;
      case S.n:
        r.packedVarints(wireType, d.n, false);
        break;
      default:
        r.skip(wireType);
    }
  }
  return d;
}
