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
export { FakeSerializer, fakeSerializerBundle } from './serializer/fake-serializer.js';
