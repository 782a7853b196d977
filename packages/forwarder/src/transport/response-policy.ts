/** What a response status means for a transaction (reference §5.3). */
export type StatusVerdict = 'success' | 'rejected' | 'retry';

/**
 * 2xx/3xx: delivered. 400, 403, 413: the intake will never take this payload (malformed, bad
 * key, too big), so it is dropped and logged, never retried. Anything else ≥ 400 (404, 429,
 * 5xx) is the intake's trouble, not the payload's: retried.
 */
export function classifyStatus(status: number): StatusVerdict {
  if (status < 400) return 'success';
  if (status === 400 || status === 403 || status === 413) return 'rejected';
  return 'retry';
}
