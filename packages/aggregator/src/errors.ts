import { AgentkitError } from '@agentkit/core';

/** The stable codes of @agentkit/aggregator. Match on these, never on message text. */
export const AggregatorErrorCode = {
  /** `histogram_aggregates` or `histogram_percentiles` holds a value the aggregator cannot compute. */
  InvalidHistogramConfig: 'ERR_AGGREGATOR_INVALID_HISTOGRAM_CONFIG',
} as const;

export type AggregatorErrorCode = (typeof AggregatorErrorCode)[keyof typeof AggregatorErrorCode];

/** Every error @agentkit/aggregator raises; the message names the key that fixes it. */
export class AggregatorError extends AgentkitError {
  public constructor(code: AggregatorErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'AggregatorError';
  }
}
