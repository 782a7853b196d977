/** Shown for secrets too short to reveal any part of: Datadog's scrubber default. */
const DEFAULT_MASK = '********';
/** Below this length, showing 5 characters would give away too much of the secret. */
const MIN_LENGTH_TO_REVEAL = 20;
const REVEALED_CHARS = 5;

/**
 * Masks a secret the way the Datadog Agent shows API keys: every character starred except the
 * last 5 (`***************************ab12c`). Values shorter than 20 characters become
 * `********`, which hides their length too; an empty value stays empty so "unset" is visible.
 * (Datadog reveals the tail only for 32- and 40-character keys; we reveal it for any long value.)
 */
export function maskSecret(value: string): string {
  if (value === '') return '';
  if (value.length < MIN_LENGTH_TO_REVEAL) return DEFAULT_MASK;
  return '*'.repeat(value.length - REVEALED_CHARS) + value.slice(-REVEALED_CHARS);
}
