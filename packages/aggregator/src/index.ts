export { DEMULTIPLEXER } from './demultiplexer/demultiplexer.def.js';
export type { Demultiplexer, MetricSample, MetricType, SampleOrigin } from './demultiplexer/demultiplexer.def.js';
export { FakeDemultiplexer, fakeAggregatorBundle } from './demultiplexer/fake-demultiplexer.js';
