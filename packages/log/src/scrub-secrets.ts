// Datadog's scrubber rules (pkg/util/scrubber), applied to plain text and to serialized JSON
// log lines alike, so that one pass over a line covers every depth of every logged object.
// Masks come from @agentkit/config so a key looks the same in `agentkit config` and in logs.
import { maskSecret } from '@agentkit/config';

const API_KEY_LENGTH = 32;
const APP_KEY_LENGTH = 40;

// Character classes of Datadog's `\b[a-fA-F0-9]{27}([a-fA-F0-9]{5})\b`, as a table.
const NOT_WORD = 0;
const WORD = 1;
const HEX = 2;
const CHAR_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  CHAR_CLASS[c] = /[a-fA-F0-9]/.test(ch) ? HEX : /\w/.test(ch) ? WORD : NOT_WORD;
}
/** Letters of JSON escapes (`\n`, `\t`, …): in a serialized line they stand for a separator. */
const ESCAPE_LETTERS = new Set(['n', 'r', 't', 'b', 'f'].map((ch) => ch.charCodeAt(0)));
const BACKSLASH = 0x5c;

// A JSON escape such as `\n` before a name counts as a word boundary too: a serialized line
// holds `\napi_key=…` where the original text held a newline.
const START = String.raw`(?:(?<!\w)|(?<=\\[nrtbf]))`;
const SECRET_NAME = String.raw`(?:dd[-_]?)?(?:api|app(?:lication)?)[-_]?key`;
const SECRET_VALUE = String.raw`[^\s"'\\&,;)}\]]+`;
/** Every secret name contains "key": a line without it skips the costlier regex below. */
const NAME_HINT = /key/i;
/**
 * A secret-named field and its value: `api_key=…` (URLs, env dumps), `"apiKey":"…"` (JSON, also
 * escaped inside a string), `'dd-api-key': '…'` (util.inspect), `DD-API-KEY: …` (header text).
 * Groups: 1 quote before the name, 2 name, 3 separator, 4 quote before the value, 5 value.
 */
const NAMED_SECRET = new RegExp(
  String.raw`${START}(\\?["']?)(${SECRET_NAME})\1\s*([:=])\s*(\\?["']?)(${SECRET_VALUE})`,
  'gi',
);
const HEADER_NAME = /^dd-/i;

function maskNamed(match: string, _q1: string, name: string, separator: string, q2: string, value: string): string {
  // `api_key: must be set` is prose, not a secret: an unquoted value after `:` is only a secret
  // after a header name (`DD-API-KEY: …`).
  if (q2 === '' && separator === ':' && !HEADER_NAME.test(name)) return match;
  return match.slice(0, match.length - value.length) + maskSecret(value);
}

function classAt(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? (CHAR_CLASS[code] ?? NOT_WORD) : NOT_WORD;
}

/** True when the word character at `index` is the letter of a JSON escape such as `\n`. */
function isEscapeLetter(text: string, index: number): boolean {
  return index > 0 && text.charCodeAt(index - 1) === BACKSLASH && ESCAPE_LETTERS.has(text.charCodeAt(index));
}

/**
 * Masks every word of exactly 32 or 40 hex characters (Datadog API and application keys).
 * Such a word covers an index ≡ 31 (mod 32), so only those are probed and the word around a
 * hex probe is measured: a regex retries at every hex character and would cost as much as
 * pino's whole serialization of the line.
 */
function scrubHexKeys(text: string): string {
  let scrubbed: string | undefined;
  let copiedUpTo = 0;
  for (let probe = API_KEY_LENGTH - 1; probe < text.length; probe += API_KEY_LENGTH) {
    if (classAt(text, probe) !== HEX) continue;
    let start = probe;
    let allHex = true;
    while (start > 0 && classAt(text, start - 1) !== NOT_WORD && !isEscapeLetter(text, start - 1)) {
      start--;
      if (classAt(text, start) === WORD) allHex = false;
    }
    let end = probe + 1;
    for (let kind = classAt(text, end); end < text.length && kind !== NOT_WORD; kind = classAt(text, ++end)) {
      if (kind === WORD) allHex = false;
    }
    const length = end - start;
    if (allHex && (length === API_KEY_LENGTH || length === APP_KEY_LENGTH)) {
      scrubbed = (scrubbed ?? '') + text.slice(copiedUpTo, start) + maskSecret(text.slice(start, end));
      copiedUpTo = end;
    }
    while (probe + API_KEY_LENGTH < end) probe += API_KEY_LENGTH;
  }
  return scrubbed === undefined ? text : scrubbed + text.slice(copiedUpTo);
}

/**
 * Replaces Datadog API and application keys in `text`: any word of 32 or 40 hex characters,
 * and the value of any `api_key` / `apiKey` / `app_key` / `DD-API-KEY` / `DD_API_KEY` field
 * written as `name=value`, as quoted JSON or as a header. A key becomes
 * `***************************` + its last 5 characters. Pure, synchronous, linear in the
 * length of `text`; returns `text` itself when there is nothing to hide. Safe on serialized
 * JSON: it never removes a quote or a backslash.
 */
export function scrubSecrets(text: string): string {
  const named = NAME_HINT.test(text) ? text.replace(NAMED_SECRET, maskNamed) : text;
  return scrubHexKeys(named);
}
