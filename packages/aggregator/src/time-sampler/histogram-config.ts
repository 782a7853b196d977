import { AggregatorError, AggregatorErrorCode } from '../errors.js';
import type { HistogramAggregate, HistogramConfig } from './bucket-metrics.js';

const AGGREGATES: readonly HistogramAggregate[] = ['max', 'min', 'median', 'avg', 'sum', 'count'];

/**
 * Resolves `histogram_aggregates` and `histogram_percentiles` as the Agent does (percentile
 * `p` → `int(p*100 + 0.5)`, sorted, suffix `.<n>percentile`). The Agent logs and skips bad
 * entries; agentkit refuses them at start, naming the key, so a typo is not silently lost.
 */
export function parseHistogramConfig(aggregates: readonly string[], percentiles: readonly string[]): HistogramConfig {
  const known: HistogramAggregate[] = [];
  for (const name of aggregates) {
    if (!(AGGREGATES as readonly string[]).includes(name)) {
      throw new AggregatorError(
        AggregatorErrorCode.InvalidHistogramConfig,
        `histogram_aggregates: "${name}" is not one of ${AGGREGATES.join(', ')}`,
      );
    }
    known.push(name as HistogramAggregate);
  }
  const ints: number[] = [];
  for (const text of percentiles) {
    const p = text.trim() === '' ? NaN : Number(text);
    if (!(p >= 0 && p <= 1)) {
      throw new AggregatorError(
        AggregatorErrorCode.InvalidHistogramConfig,
        `histogram_percentiles: "${text}" is not a number from 0 to 1 (write 0.95 for the 95th percentile)`,
      );
    }
    // The Agent adds 0.5 before truncating so that 0.29 gives 29, not 28.
    ints.push(Math.trunc(p * 100 + 0.5));
  }
  ints.sort((a, b) => a - b);
  return { aggregates: known, percentiles: ints, percentileSuffixes: ints.map((p) => `.${p}percentile`) };
}
