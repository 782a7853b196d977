import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { HOST, makeParser } from './helpers.js';

const TYPES = { c: 'counter', g: 'gauge', h: 'histogram', ms: 'timing', d: 'distribution', s: 'set' } as const;

/** Text without the protocol's separators (and without \r, which ends a line). */
const free = (forbidden: RegExp, maxLength = 24) =>
  fc.string({ unit: 'grapheme', minLength: 1, maxLength }).filter((s) => !forbidden.test(s));

const nameArb = free(/[:|\n\r]/).filter((s) => !s.startsWith('_'));
const tagArb = free(/[,|\n\r]/).filter((s) => !s.startsWith('host:') && !s.startsWith('dd.internal.'));
const valueArb = fc.double({ noNaN: true, noDefaultInfinity: true });

interface Line {
  readonly name: string;
  readonly type: keyof typeof TYPES;
  readonly values: readonly number[];
  readonly setMember: string;
  readonly rate: number | undefined;
  readonly tags: readonly string[];
  readonly timestamp: number | undefined;
}

const lineArb: fc.Arbitrary<Line> = fc.record({
  name: nameArb,
  type: fc.constantFrom(...(Object.keys(TYPES) as (keyof typeof TYPES)[])),
  values: fc.array(valueArb, { minLength: 1, maxLength: 4 }),
  setMember: free(/[|\n\r]/),
  rate: fc.option(fc.double({ min: Number.MIN_VALUE, max: 1, noNaN: true }), { nil: undefined }),
  tags: fc.array(tagArb, { maxLength: 5 }),
  timestamp: fc.option(fc.integer({ min: 1, max: 4_000_000_000 }), { nil: undefined }),
});

function render(line: Line): string {
  const value = line.type === 's' ? line.setMember : line.values.map(String).join(':');
  let out = `${line.name}:${value}|${line.type}`;
  // Optional fields in a generated order: the parser must not care.
  const fields: string[] = [];
  if (line.rate !== undefined) fields.push(`@${line.rate}`);
  if (line.tags.length > 0) fields.push(`#${line.tags.join(',')}`);
  if (line.timestamp !== undefined) fields.push(`T${line.timestamp}`);
  if (line.name.length % 2 === 1) fields.reverse();
  for (const field of fields) out += `|${field}`;
  return out;
}

describe('parser properties (fast-check)', () => {
  it('never throws, whatever the bytes', () => {
    const parser = makeParser({ originDetectionClient: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.boolean(), (bytes, eol) => {
        parser.parse(Buffer.from(bytes), eol);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on near-miss protocol text (fragments of valid messages, recombined)', () => {
    const fragment = fc.constantFrom(
      '_e{', '_sc', '|', ':', '#', ',', '@', 'T', 'c:', 'e:', 'card:', '}', '{', '\n', '\r', '-', '0', '1', '9', '.', 'x', 'é', '\0', 'nan', 'inf', 'ms', 'h:', 'd:', 'p:', 't:',
    );
    const parser = makeParser({ originDetectionClient: true });
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 64 }), (parts) => {
        parser.parse(parts.join(''));
      }),
      { numRuns: 2000 },
    );
  });

  it('valid lines parse back to what generated them', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 8 }), (lines) => {
        const result = makeParser().parse(lines.map(render).join('\n'));
        expect(result.errors).toEqual([]);
        const expected = (withTimestamp: boolean) =>
          lines
            .filter((line) => (line.timestamp !== undefined) === withTimestamp)
            .flatMap((line) =>
              (line.type === 's' ? [NaN] : line.values.map((v) => Number(String(v)))).map((value) => ({
                name: line.name,
                value,
                ...(line.type === 's' ? { setValue: line.setMember } : {}),
                type: TYPES[line.type],
                tags: line.tags,
                host: HOST,
                sampleRate: line.rate ?? 1,
                timestamp: line.timestamp ?? 1_700_000_000,
              })),
            );
        // Timestamped samples (|T) go to the no-aggregation batch, each list in arrival order.
        expect(result.demux.samples).toEqual(expected(false));
        expect(result.demux.timestampedSamples).toEqual(expected(true));
      }),
      { numRuns: 300 },
    );
  });
});
