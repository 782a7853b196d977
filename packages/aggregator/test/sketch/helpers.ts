/** The IEEE-754 bits of a float64 as 16 hex digits, to assert bit-exact values. */
export function bits(value: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
}

/** The float64 with these bits (16 hex digits). */
export function fromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

/** The next float64 below a positive value. */
export function nextDown(value: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  view.setBigUint64(0, view.getBigUint64(0) - 1n);
  return view.getFloat64(0);
}

/** Parses store notation `k:n k:n` (`max` = 65535) into [key, count] pairs. */
export function parseBins(text: string): [number, number][] {
  if (text.trim() === '') return [];
  return text
    .trim()
    .split(/\s+/)
    .map((pair) => {
      const [k, n] = pair.split(':') as [string, string];
      const count = n.startsWith('max') ? 65535 + Number(n.slice(3) || 0) : Number(n);
      return [Number(k), count] as [number, number];
    });
}
