import type { MetricType, SampleOrigin } from '@agentkit/aggregator';

/** Not a metric type (kept a string so {@link metricTypeOf} stays monomorphic in its return). */
export const NO_TYPE = '';

/** The metric type named by [start, end) of `line` (`g`, `c`, `h`, `d`, `s`, `ms`), or {@link NO_TYPE}. */
export function metricTypeOf(line: string, start: number, end: number): MetricType | '' {
  const length = end - start;
  const c = line.charCodeAt(start);
  if (length === 1) {
    switch (c) {
      case 103: // g
        return 'gauge';
      case 99: // c
        return 'counter';
      case 104: // h
        return 'histogram';
      case 100: // d
        return 'distribution';
      case 115: // s
        return 'set';
      default:
        return NO_TYPE;
    }
  }
  return length === 2 && c === 109 && line.charCodeAt(start + 1) === 115 ? 'timing' : NO_TYPE;
}

/**
 * The origin of one line: its `|c:` (local data), `|e:` (external data) and `|card:` fields over
 * the origin its tags gave (entity id, cardinality), the line's cardinality winning.
 */
export function withLineOrigin(
  fromTags: SampleOrigin | undefined,
  localData: string | undefined,
  externalData: string | undefined,
  cardinality: string | undefined,
): SampleOrigin {
  const card = cardinality ?? fromTags?.cardinality;
  return Object.freeze({
    ...(fromTags?.entityId === undefined ? {} : { entityId: fromTags.entityId }),
    ...(localData === undefined ? {} : { localData }),
    ...(externalData === undefined ? {} : { externalData }),
    ...(card === undefined ? {} : { cardinality: card }),
  });
}
