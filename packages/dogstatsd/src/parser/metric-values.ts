import { parseGoFloat } from './go-number.js';
import type { ParseErrorKind } from './parse-error.js';

/**
 * The values of the line being parsed (one, or several packed with `:` in protocol v1.1), in one
 * array reused line after line: no array per line, no `length = 0` call.
 */
export class LineValues {
  /** The values; only the first {@link count} belong to the current line. */
  public readonly values: number[] = [0];
  public count = 0;

  /** A set's line: one placeholder value (the member is a string, carried beside). */
  public setMember(): void {
    this.values[0] = NaN;
    this.count = 1;
  }

  /** Reads [start, end) of `str` as the line's values, or says why it cannot. */
  public parse(str: string, start: number, end: number): ParseErrorKind | undefined {
    const values = this.values;
    const simple = parseSimpleDecimal(str, start, end);
    if (simple === simple) {
      values[0] = simple;
      this.count = 1;
      return undefined;
    }
    const raw = str.slice(start, end);
    if (raw.indexOf(':') === -1) {
      const value = parseGoFloat(raw);
      if (value === undefined) return 'metric_value';
      values[0] = value;
      this.count = 1;
      return undefined;
    }
    // Packed values (protocol v1.1): empty entries are skipped.
    let count = 0;
    let from = 0;
    while (from <= raw.length) {
      let to = raw.indexOf(':', from);
      if (to === -1) to = raw.length;
      if (to > from) {
        const value = parseGoFloat(raw.slice(from, to));
        if (value === undefined) return 'metric_value';
        values[count++] = value;
      }
      from = to + 1;
    }
    this.count = count;
    return count === 0 ? 'metric_value' : undefined;
  }
}

/** 10^0 … 10^22: exact doubles. */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * `[-]digits[.digits]` with at most 15 significant digits, without allocating: the integer of
 * all digits is exact and so is 10^k, and one IEEE division of exact values is correctly
 * rounded, so the result equals Number() of the text (Clinger's fast path). NaN for anything
 * else (exponents, long values, packed lists), which then goes through parseGoFloat.
 */
function parseSimpleDecimal(line: string, start: number, end: number): number {
  let i = start;
  let negative = false;
  if (line.charCodeAt(i) === 45) {
    negative = true;
    i += 1;
  }
  if (i >= end || end - i > 15) return NaN;
  let mantissa = 0;
  let fractionDigits = -1;
  for (; i < end; i++) {
    const c = line.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      if (fractionDigits >= 0) fractionDigits += 1;
    } else if (c === 46 && fractionDigits < 0) {
      fractionDigits = 0;
    } else {
      return NaN;
    }
  }
  if (fractionDigits === 0 && end - start === (negative ? 2 : 1)) return NaN; // a lone "."
  const value = fractionDigits > 0 ? mantissa / (POWERS_OF_TEN[fractionDigits] as number) : mantissa;
  return negative ? -value : value;
}
