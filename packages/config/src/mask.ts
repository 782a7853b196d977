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

// [scheme://]user[:password]@ — the user stops at ':', '/', '@' or a space; the password runs
// to the last '@' before the path, as Go's url.Parse reads an unescaped '@' in a password. No
// scheme only at the very start: a proxy may be written `user:pass@host:3128`.
const URL_USERINFO = /(^|[a-z][a-z0-9+.-]*:\/\/)([^\s/@:]*)(?::([^\s/]*))?@/gi;

/**
 * Stars the password of a URL's userinfo (`http://user:pass@proxy:3128` →
 * `http://user:********@proxy:3128`), as the Datadog scrubber does for URLs; a userinfo
 * without a password is a token (`http://token@proxy`) and is starred whole. Anything that is
 * not such a URL comes back as it is. Works on text that is not a valid URL too (no parsing).
 */
export function maskUrlPassword(value: string): string {
  return value.replace(URL_USERINFO, (_match, scheme: string, user: string, password: string | undefined) =>
    password === undefined ? `${scheme}${DEFAULT_MASK}@` : `${scheme}${user}:${DEFAULT_MASK}@`,
  );
}

/** A key's value as it may be shown: masked as its declaration says (see `secret`). */
export function maskForDisplay(secret: boolean | 'url-password', value: unknown): unknown {
  if (secret === false) return value;
  if (secret === 'url-password') return typeof value === 'string' ? maskUrlPassword(value) : value;
  return maskSecret(String(value));
}
