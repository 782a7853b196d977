import { bundle, provide } from '@agentkit/core';
import { DEMULTIPLEXER } from './demultiplexer.def.js';
import { TimeSamplingDemultiplexer } from './time-sampling-demultiplexer.js';

/**
 * The `aggregator` bundle: the real Demultiplexer. It injects SERIALIZER, so add a serializer
 * bundle (the real one, or `fakeSerializerBundle()` in tests). Its stop is bounded internally by
 * `aggregator_stop_timeout`; the App's own stop budget applies on top.
 */
export const aggregatorBundle = bundle('aggregator', [provide(DEMULTIPLEXER, TimeSamplingDemultiplexer)]);
