// Number parsing with the acceptance rules of Go's strconv, which the DogStatsD protocol
// inherits from the Agent: ParseFloat accepts `inf`, `infinity`, `nan` (any case) and
// hexadecimal floats with a `p` exponent, and rejects surrounding spaces, `0b`/`0o`/plain
// `0x` integers and out-of-range values — all of which JavaScript's Number() treats the
// other way round. The fast path is Number() on what both accept identically.

const HEX_FLOAT = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * Go's `strconv.ParseFloat(s, 64)`: the value, or undefined when Go returns an error
 * (syntax, or overflow to ±Inf). May return NaN or ±Infinity for `nan` / `inf` spellings.
 */
export function parseGoFloat(s: string): number | undefined {
  const n = s.length;
  if (n === 0) return undefined;
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(n - 1);
  if ((isDigit(last) || last === 46) && (isDigit(first) || first === 46 || first === 45 || first === 43)) {
    // `0x10`, `0b1`, `0o7`: Number() reads them as integers, Go does not.
    const radix = n > 1 && first === 48 ? s.charCodeAt(1) | 0x20 : 0;
    if (radix !== 120 && radix !== 98 && radix !== 111) {
      const value = Number(s);
      if (value === value) return value === Infinity || value === -Infinity ? undefined : value;
    }
  }
  return parseGoFloatSlow(s);
}

function parseGoFloatSlow(s: string): number | undefined {
  const lower = s.toLowerCase();
  const sign = lower.charCodeAt(0) === 45 ? -1 : 1;
  const unsigned = lower.charCodeAt(0) === 45 || lower.charCodeAt(0) === 43 ? lower.slice(1) : lower;
  if (unsigned === 'inf' || unsigned === 'infinity') return sign * Infinity;
  if (lower === 'nan') return NaN;
  const hex = HEX_FLOAT.exec(s);
  if (hex === null) return undefined;
  const intPart = hex[2] ?? '';
  const fracPart = hex[3] ?? '';
  if (intPart.length + fracPart.length === 0) return undefined;
  const mantissa = parseInt(intPart + fracPart, 16);
  const value = mantissa * 2 ** (Number(hex[4]) - 4 * fracPart.length);
  if (!Number.isFinite(value)) return undefined;
  return hex[1] === '-' ? -value : value;
}

/** 2^63 - 1, as a double (2^63): the comparisons below are exact at this magnitude. */
const INT64_MAX = 2 ** 63;

/**
 * Go's `strconv.ParseInt(s, 10, 64)` (and `Atoi` on 64-bit): an optional sign and decimal
 * digits only. Undefined on a syntax or range error. Values beyond 2^53 lose precision.
 */
export function parseGoInt(s: string): number | undefined {
  const n = s.length;
  if (n === 0) return undefined;
  let i = 0;
  const first = s.charCodeAt(0);
  if (first === 43 || first === 45) {
    if (n === 1) return undefined;
    i = 1;
  }
  for (let j = i; j < n; j++) if (!isDigit(s.charCodeAt(j))) return undefined;
  const value = Number(s);
  return value >= INT64_MAX || value < -INT64_MAX ? undefined : value;
}
