/** The Agent's host metadata interval once it has settled: 30 minutes. */
export const HOST_METADATA_INTERVAL_MS = 1_800_000;
/** The Agent's first resend comes sooner: 5 minutes after the one at start. */
export const HOST_METADATA_EARLY_INTERVAL_MS = 300_000;
/** Each wait is three times the one before, up to the 30 minutes (the Agent's backoff, without jitter). */
const GROWTH = 3;

/**
 * The wait before the next send, after waiting `previousMs` (undefined: after the send at
 * start). The Agent's sequence (comp/metadata/host: an exponential backoff from 300 s, ×3,
 * capped at 1800 s, no randomisation): sends at 0, 5, 20, 50, 80, … minutes.
 */
export function nextHostMetadataDelayMs(previousMs: number | undefined): number {
  if (previousMs === undefined) return HOST_METADATA_EARLY_INTERVAL_MS;
  return Math.min(previousMs * GROWTH, HOST_METADATA_INTERVAL_MS);
}
