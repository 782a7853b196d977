import { defineKey } from '@agentkit/config';
import type { AnyConfigKey } from '@agentkit/config';

/** Compression kinds for `serializer_compressor_kind`. */
export const COMPRESSOR_KINDS = ['zstd', 'zlib', 'none'] as const;
export type CompressorKind = (typeof COMPRESSOR_KINDS)[number];

/** The serializer keys, with the Datadog Agent's names, env vars and defaults. */
export const serializerKeys = {
  compressorKind: defineKey({
    key: 'serializer_compressor_kind',
    datadog: { kind: 'same' },
    type: 'enum',
    values: COMPRESSOR_KINDS,
    default: 'zstd',
    doc: 'How payloads are compressed: `zstd` (`Content-Encoding: zstd`; needs Node 22.15 or later, else zlib is used, said once at info level), `zlib` (`Content-Encoding: deflate`) or `none`.',
  }),
  zstdCompressorLevel: defineKey({
    key: 'serializer_zstd_compressor_level',
    datadog: { kind: 'same' },
    type: 'integer',
    default: 1,
    min: 1,
    max: 22,
    doc: 'The zstd compression level (1 is fastest).',
  }),
  maxPayloadSize: defineKey({
    key: 'serializer_max_payload_size',
    datadog: { kind: 'same' },
    type: 'integer',
    default: 2_621_440,
    min: 1024,
    doc: 'The largest compressed payload, in bytes, for sketches, v1 series, events and service checks; bigger batches are split.',
  }),
  maxUncompressedPayloadSize: defineKey({
    key: 'serializer_max_uncompressed_payload_size',
    datadog: { kind: 'same' },
    type: 'integer',
    default: 4_194_304,
    min: 1024,
    doc: 'The largest uncompressed payload, in bytes, for sketches, v1 series, events and service checks.',
  }),
  maxSeriesPointsPerPayload: defineKey({
    key: 'serializer_max_series_points_per_payload',
    datadog: { kind: 'same' },
    type: 'integer',
    default: 10_000,
    min: 1,
    doc: 'The most points in one v2 series payload; a single series with more points is dropped.',
  }),
  maxSeriesPayloadSize: defineKey({
    key: 'serializer_max_series_payload_size',
    datadog: { kind: 'same' },
    type: 'integer',
    default: 512_000,
    min: 1024,
    doc: 'The largest compressed v2 series payload, in bytes.',
  }),
  maxSeriesUncompressedPayloadSize: defineKey({
    key: 'serializer_max_series_uncompressed_payload_size',
    datadog: { kind: 'same' },
    type: 'integer',
    default: 5_242_880,
    min: 1024,
    doc: 'The largest uncompressed v2 series payload, in bytes.',
  }),
  useV2ApiSeries: defineKey({
    key: 'use_v2_api.series',
    datadog: { kind: 'same' },
    type: 'boolean',
    default: true,
    doc: 'Send series as protobuf to `/api/v2/series`; false sends JSON to `/api/v1/series`.',
  }),
  enablePayloadsSeries: defineKey({
    key: 'enable_payloads.series',
    datadog: { kind: 'same' },
    type: 'boolean',
    default: true,
    doc: 'Send series at all. False discards them (counted in telemetry as `disabled.series`).',
  }),
  enablePayloadsEvents: defineKey({
    key: 'enable_payloads.events',
    datadog: { kind: 'same' },
    type: 'boolean',
    default: true,
    doc: 'Send events at all.',
  }),
  enablePayloadsServiceChecks: defineKey({
    key: 'enable_payloads.service_checks',
    datadog: { kind: 'same' },
    type: 'boolean',
    default: true,
    doc: 'Send service checks at all.',
  }),
  enablePayloadsSketches: defineKey({
    key: 'enable_payloads.sketches',
    datadog: { kind: 'same' },
    type: 'boolean',
    default: true,
    doc: 'Send sketches (distributions) at all.',
  }),
} as const;

/** The serializer keys as a collection, in documentation order, for `loadConfig({ keys })`. */
export const serializerConfigKeys: readonly AnyConfigKey[] = Object.freeze([
  serializerKeys.compressorKind,
  serializerKeys.zstdCompressorLevel,
  serializerKeys.maxPayloadSize,
  serializerKeys.maxUncompressedPayloadSize,
  serializerKeys.maxSeriesPointsPerPayload,
  serializerKeys.maxSeriesPayloadSize,
  serializerKeys.maxSeriesUncompressedPayloadSize,
  serializerKeys.useV2ApiSeries,
  serializerKeys.enablePayloadsSeries,
  serializerKeys.enablePayloadsEvents,
  serializerKeys.enablePayloadsServiceChecks,
  serializerKeys.enablePayloadsSketches,
]);
