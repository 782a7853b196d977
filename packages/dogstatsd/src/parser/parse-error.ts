/**
 * Why a message was rejected (the telemetry suffix of `parse_errors.<kind>`):
 * - `metric_format`: no `|` in the message;
 * - `metric_name_value`: no `:` before the first `|`, or an empty name or value;
 * - `metric_type`: the type is not one of `c g h ms s d`;
 * - `metric_value`: a value is not a number, or a packed list holds none;
 * - `metric_sample_rate`: `@rate` is not a number in (0, 1];
 * - `metric_timestamp`: `|T` is not an integer > 0;
 * - `metric_non_finite`: a value parsed to NaN or ±Inf (the Agent drops those when aggregating);
 * - `event`, `service_check`: a malformed `_e{…}` or `_sc|…` message.
 */
export type ParseErrorKind =
  | 'metric_format'
  | 'metric_name_value'
  | 'metric_type'
  | 'metric_value'
  | 'metric_sample_rate'
  | 'metric_timestamp'
  | 'metric_non_finite'
  | 'event'
  | 'service_check';

/** Where the parser reports what it rejects. Called synchronously, on the hot path. */
export interface ParseReporter {
  /** `line` is the message as latin1 chars (one per byte); a slice of the packet string. */
  parseError(kind: ParseErrorKind, line: string): void;
  /** A last message without `\n` on a transport listed in `dogstatsd_eol_required`. */
  unterminated(): void;
}
