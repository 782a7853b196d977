/**
 * Maps UTF-16 offsets (what oxc-parser and acorn give as `start`/`end`) to 1-based lines.
 * Line terminators are ECMAScript's (`\n`, `\r\n`, `\r`, U+2028, U+2029), which is also how V8
 * numbers the lines a debugger probe is placed on.
 */
export class LineTable {
  readonly #starts: Uint32Array;
  readonly #count: number;

  public constructor(source: string) {
    let starts = new Uint32Array(Math.max(16, source.length >>> 5));
    let count = 1; // starts[0] = 0
    for (let i = 0; i < source.length; i++) {
      const c = source.charCodeAt(i);
      // Fast path: everything above '\r' but below U+2028 is not a terminator.
      if (c > 13 && c < 0x2028) continue;
      let next: number;
      if (c === 10 || c === 0x2028 || c === 0x2029) next = i + 1;
      else if (c === 13) next = source.charCodeAt(i + 1) === 10 ? ++i + 1 : i + 1;
      else continue;
      if (count === starts.length) {
        const grown = new Uint32Array(starts.length * 2);
        grown.set(starts);
        starts = grown;
      }
      starts[count++] = next;
    }
    this.#starts = starts;
    this.#count = count;
  }

  /** Number of lines (a file ending with a newline has an empty last line, as editors show). */
  public get lineCount(): number {
    return this.#count;
  }

  /** The 1-based line holding `offset`. */
  public lineAt(offset: number): number {
    let lo = 0;
    let hi = this.#count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.#starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
}
