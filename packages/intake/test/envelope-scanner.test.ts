import { describe, expect, it } from '@jest/globals';
import { EnvelopeScanner } from '../src/symdb/envelope-scanner.js';

const options = { maxScopeDepth: 64, keepNames: 3 };

/** The summary as a full JSON.parse reads it: what the scanner must agree with. */
function parsedSummary(text: string): object {
  const envelope = JSON.parse(text) as Record<string, unknown>;
  const scopes = Array.isArray(envelope['scopes']) ? (envelope['scopes'] as unknown[]) : [];
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const count = (list: unknown[], depth: number): number =>
    list.filter(isObject).reduce<number>((n, s) => n + 1 + (Array.isArray(s['scopes']) && depth < 64 ? count(s['scopes'] as unknown[], depth + 1) : 0), 0);
  const fields: Record<string, unknown> = {};
  for (const [key, type] of [['service', 'string'], ['version', 'string'], ['env', 'string'], ['language', 'string'], ['upload_id', 'string'], ['batch_num', 'number'], ['final', 'boolean']] as const) {
    if (typeof envelope[key] === type) fields[key] = envelope[key];
  }
  const objects = scopes.filter(isObject);
  return {
    fields,
    scopeCount: scopes.length,
    totalScopeCount: count(scopes, 0),
    fileCount: new Set(objects.map((s) => s['source_file']).filter((f) => typeof f === 'string')).size,
    topLevelScopes: objects.slice(0, 3).map((s) => (typeof s['name'] === 'string' ? s['name'] : '')),
    uncompressedBytes: Buffer.byteLength(text),
  };
}

function scan(bytes: Buffer, chunkBytes: number): object {
  const scanner = new EnvelopeScanner(options);
  for (let i = 0; i < bytes.length; i += chunkBytes) scanner.push(bytes.subarray(i, i + chunkBytes));
  return scanner.end();
}

const ENVELOPES: string[] = [
  JSON.stringify({ service: 'svc', version: '1.0', env: 'dev', language: 'javascript', upload_id: 'u-1', batch_num: 3, scopes: [], final: true }),
  JSON.stringify({
    service: 'quote "q" \\ back \u00e9 \ud83d\ude00',
    batch_num: -1.5e3,
    final: false,
    scopes: [
      { name: 'a', source_file: 'a.js', scopes: [{ name: 'a.inner', scopes: [{ scopes: [] }, 7, null] }], symbols: [{ name: 'scopes', scopes: [{}] }] },
      'not a scope',
      { name: 42, source_file: 'a.js', language_specifics: { scopes: [{ name: 'not counted' }] } },
      { source_file: 'b.js', name: 'b\n', scopes: [[{}], { name: 'c' }] },
      { name: 'd' },
    ],
    extra: { service: 'not the envelope', nested: [true, false, null, 0, -0.25, 1e-7] },
  }),
  // Duplicate keys: the last wins, as JSON.parse has it; a non-string service is not kept.
  '{"service":"first","service":"second","version":7,"scopes":[{"name":"x","name":"y"}],"final":true,"final":false}',
  ' \n{ "scopes" : [ { "scopes" : [ { } , { } ] } ] , "batch_num" : 0 } \r\n\t',
];

describe('EnvelopeScanner', () => {
  it('agrees with JSON.parse on every envelope, however the bytes are split', () => {
    for (const text of ENVELOPES) {
      const bytes = Buffer.from(text, 'utf8');
      const expected = parsedSummary(text);
      for (const chunkBytes of [1, 2, 7, bytes.length]) expect(scan(bytes, chunkBytes)).toEqual(expected);
    }
  });

  it('rejects what is not one JSON object', () => {
    const cases: [string, RegExp][] = [
      ['', /empty/],
      ['[]', /not a JSON object/],
      ['"text"', /not a JSON object/],
      ['{"a":1', /ends before/],
      ['{"a":1}}', /more after/],
      ['{"a":1} {"b":2}', /more after/],
      ['{"a" 1}', /expected ":"/],
      ['{a:1}', /expected a key/],
      ['{"a":1,}', /expected a key/],
      ['{"a":[1,]}', /unexpected "]"/],
      ['{"a":tru}', /not a JSON value/],
      ['{"a":01}', /not a JSON value/],
      ['{"service":"bad \\x escape"}', /bad escape/],
      ['{"a":"line\nbreak"}', /control character/],
      ['{"a":[}', /unexpected "}"/],
    ];
    for (const [text, why] of cases) {
      expect(() => scan(Buffer.from(text), 3)).toThrow(why);
    }
  });

  it('does not hold the scopes: a 2 000-scope envelope leaves only its summary', () => {
    const scanner = new EnvelopeScanner(options);
    scanner.push(Buffer.from('{"service":"s","scopes":['));
    const one = Buffer.from(JSON.stringify({ name: 'm', source_file: 'f.js', scopes: [{ name: 'c' }] }));
    for (let i = 0; i < 2000; i++) scanner.push(i === 0 ? one : Buffer.concat([Buffer.from(','), one]));
    scanner.push(Buffer.from('],"final":true}'));
    expect(scanner.end()).toMatchObject({ scopeCount: 2000, totalScopeCount: 4000, fileCount: 1, topLevelScopes: ['m', 'm', 'm'], fields: { service: 's', final: true } });
  });
});
