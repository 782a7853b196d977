export { SERIALIZER } from './serializer/serializer.def.js';
export type { Serializer } from './serializer/serializer.def.js';
export type {
  Dogsketch,
  Event,
  EventAlertType,
  EventPriority,
  MetricSource,
  Serie,
  SeriePoint,
  SerieType,
  ServiceCheck,
  ServiceCheckStatus,
  SketchSeries,
} from './serializer/metrics.def.js';
export { ItemDetacher } from './serializer/item-detacher.js';
export { FakeSerializer, fakeSerializerBundle } from './serializer/fake-serializer.js';

export { PayloadSerializer } from './serializer/payload-serializer.js';
export { serializerBundle } from './serializer/serializer.module.js';

export { COMPRESSOR_KINDS, serializerConfigKeys, serializerKeys } from './config-keys.js';
export type { CompressorKind } from './config-keys.js';

export { createCompressor, runtimeHasZstd, DEFAULT_ZLIB_LEVEL, DEFAULT_ZSTD_LEVEL } from './compression/compressor.js';
export type { Compressor, CompressorOptions } from './compression/compressor.js';

export { AGENT_PAYLOAD_VERSION } from './encode/headers.js';
export { SERIES_V2_TYPE } from './encode/series-v2.js';

export { decodePayload, decodedItemCount, payloadKindOf } from './decode/decode-payload.js';
export type { DecodedPayload, DecodedPayloadKind } from './decode/decode-payload.js';
export { decodeSeriesV2, decodeSeriesV2At, decodeSketchAt, decodeSketches, forEachSeriesV2, forEachSketch } from './decode/decode-protobuf.js';
export { ProtoScanner } from './decode/scan-protobuf.js';
export { Spans } from './decode/scanned-items.js';
export type { ScannedSeries, ScannedSketch } from './decode/scanned-items.js';
export type {
  DecodedDogsketch,
  DecodedMetricSeries,
  DecodedOrigin,
  DecodedResource,
  DecodedSeriesV2Payload,
  DecodedSketch,
  DecodedSketchPayload,
} from './decode/decode-protobuf.js';
export { decodeEvents, decodeIntake, decodeLogs, decodeSeriesV1, decodeServiceChecks } from './decode/decode-json.js';
export type {
  DecodedEvent,
  DecodedEventsPayload,
  DecodedHostMetadata,
  DecodedIntakePayload,
  DecodedLog,
  DecodedSeriesV1,
  DecodedSeriesV1Payload,
  DecodedServiceCheck,
} from './decode/decode-json.js';
export { decompressBody, DEFAULT_MAX_DECOMPRESSED_BYTES } from './decode/decompress.js';

export { SerializerError, SerializerErrorCode } from './errors.js';
