import { bundle, provide, type ConfigReader } from '@agentkit/core';
import { aggregatorKeys } from '../config-keys.js';
import { DEMULTIPLEXER } from './demultiplexer.def.js';
import { TimeSamplingDemultiplexer } from './time-sampling-demultiplexer.js';

/** The demultiplexer's share of the App's stop budget: `aggregator_stop_timeout`. */
export function demultiplexerStopTimeoutMs(config: ConfigReader): number {
  return config.get(aggregatorKeys.stopTimeout) * 1000;
}

/**
 * The `aggregator` bundle: the real Demultiplexer. It injects SERIALIZER, so add a serializer
 * bundle (the real one, or `fakeSerializerBundle()` in tests). Its share of the App's stop
 * budget is `aggregator_stop_timeout`: its stop signal aborts then, or sooner if the budget
 * has less left.
 */
export const aggregatorBundle = bundle('aggregator', [provide(DEMULTIPLEXER, TimeSamplingDemultiplexer, { stopTimeoutMs: demultiplexerStopTimeoutMs })]);
