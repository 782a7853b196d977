import { describe, expect, it } from '@jest/globals';
import { DogstatsdErrorCode } from '@agentkit/dogstatsd';
import { parseGoFloat, parseGoInt } from '../src/parser/go-number.js';
import { HOST, makeParser, mapper, parse } from './helpers.js';

describe('enrichment: host and origin tags', () => {
  it('a host: tag sets the host and is removed; the last one wins', () => {
    const [a, b] = parse('m:1|c|#env:prod,host:web-1\nm:1|c|#host:a,x,host:b').demux.samples;
    expect(a).toMatchObject({ host: 'web-1', tags: ['env:prod'] });
    expect(b).toMatchObject({ host: 'b', tags: ['x'] });
  });

  it('an empty host: tag gives an empty host; no host tag gives the default host', () => {
    const [a, b] = parse('m:1|c|#host:\nm:1|c').demux.samples;
    expect(a?.host).toBe('');
    expect(b?.host).toBe(HOST);
  });

  it('dd.internal.entity_id and dd.internal.card are removed and kept as origin; card: beats the tag', () => {
    const [a, b] = parse('m:1|c|#a,dd.internal.entity_id:pod-uid,dd.internal.card:high\nm:1|c|#dd.internal.card:high|card:low', {
      originDetectionClient: true,
    }).demux.samples;
    expect(a).toMatchObject({ tags: ['a'], origin: { entityId: 'pod-uid', cardinality: 'high' } });
    expect(b).toMatchObject({ tags: [], origin: { cardinality: 'low' } });
  });

  it('events and service checks take the host from h:, else from a host: tag, else the default', () => {
    const result = parse('_e{1,1}:a|b|#host:tagged,x\n_e{1,1}:a|b|h:field|#host:tagged\n_sc|c|0|#host:tagged\n_sc|c|0');
    expect(result.demux.events.map((e) => [e.host, e.tags])).toEqual([
      ['tagged', ['x']],
      ['field', []],
    ]);
    expect(result.demux.serviceChecks.map((c) => c.host)).toEqual(['tagged', HOST]);
  });
});

describe('enrichment: dogstatsd_tags, namespace, mapper', () => {
  it('dogstatsd_tags are appended (sorted, deduplicated) to metrics, events and service checks', () => {
    const result = parse('m:1|c|#a\nm:2|c\n_e{1,1}:t|x|#b\n_sc|c|0', { extraTags: ['team:x', 'env:prod', 'team:x'] });
    expect(result.demux.samples.map((s) => s.tags)).toEqual([
      ['a', 'env:prod', 'team:x'],
      ['env:prod', 'team:x'],
    ]);
    expect(result.demux.events[0]?.tags).toEqual(['b', 'env:prod', 'team:x']);
    expect(result.demux.serviceChecks[0]?.tags).toEqual(['env:prod', 'team:x']);
  });

  it('statsd_metric_namespace prefixes names (adding the dot) except blacklisted prefixes', () => {
    const result = parse('req:1|c\ndatadog.agent.up:1|g\njvm.heap:3|g', { namespace: 'app', namespaceBlacklist: ['datadog.agent', 'jvm'] });
    expect(result.demux.samples.map((s) => s.name)).toEqual(['app.req', 'datadog.agent.up', 'jvm.heap']);
  });

  it('the mapper renames by wildcard with $1 / ${1} and adds expanded tags, before the namespace', () => {
    const m = mapper([
      {
        name: 'airflow',
        prefix: 'airflow.',
        mappings: [
          { match: 'airflow.job.duration_sec.*.*', name: 'airflow.job.duration', tags: { job_type: '$1', job_name: '${2}' } },
          { match: 'airflow\\.pool\\.(?P<pool>\\w+)', match_type: 'regex', name: 'airflow.pool', tags: { pool: '$pool' } },
        ],
      },
    ]);
    const result = parse('airflow.job.duration_sec.scheduler.backfill:3|g|#a\nairflow.pool.default:1|g\nairflow.other:1|g\nother:1|g', {
      mapper: m,
      namespace: 'ns',
      // The default blacklist spares `airflow.` names from the namespace; this case needs it empty.
      namespaceBlacklist: [],
    });
    expect(result.demux.samples.map((s) => [s.name, s.tags])).toEqual([
      ['ns.airflow.job.duration', ['a', 'job_type:scheduler', 'job_name:backfill']],
      ['ns.airflow.pool', ['pool:default']],
      ['ns.airflow.other', []],
      ['ns.other', []],
    ]);
  });

  it('a wildcard matches one dot-free segment only', () => {
    const m = mapper([{ name: 'p', prefix: '*', mappings: [{ match: 'a.*.c', name: 'x.$1' }] }]);
    expect(m.map('a.b.c')?.name).toBe('x.b');
    expect(m.map('a.b.b.c')).toBeUndefined();
  });

  it('mapper results (misses included) live in an LRU of dogstatsd_mapper_cache_size', () => {
    const m = mapper([{ name: 'p', prefix: 'a.', mappings: [{ match: 'a.*', name: 'b.$1' }] }], 2);
    expect(m.map('a.1')?.name).toBe('b.1');
    expect(m.map('a.1')).toBe(m.map('a.1')); // cached: the same result object
    const first = m.map('a.1');
    m.map('a.2');
    m.map('a.3'); // evicts a.1 (least recently used)
    expect(m.map('a.1')).not.toBe(first);
    expect(m.map('a.1')).toEqual(first);
  });

  it.each([
    [[{ prefix: 'a', mappings: [] }], /missing profile name/],
    [[{ name: 'p', mappings: [] }], /missing prefix/],
    [[{ name: 'p', prefix: 'a', mappings: [{ match: 'a.**', name: 'b' }] }], /consecutive/],
    [[{ name: 'p', prefix: 'a', mappings: [{ match: 'a.$', name: 'b' }] }], /may only use/],
    [[{ name: 'p', prefix: 'a', mappings: [{ match: '(', match_type: 'regex', name: 'b' }] }], /cannot compile/],
    [[{ name: 'p', prefix: 'a', mappings: [{ match: 'a', name: '' }] }], /name is required/],
    [[{ name: 'p', prefix: 'a', mappings: [{ match: 'a', match_type: 'glob', name: 'b' }] }], /match_type/],
  ])('an invalid profile is refused, naming dogstatsd_mapper_profiles (%j)', (profiles, why) => {
    let error: unknown;
    try {
      mapper(profiles);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: DogstatsdErrorCode.InvalidConfig, message: expect.stringMatching(/^dogstatsd_mapper_profiles\[0\]/) });
    expect((error as Error).message).toMatch(why);
  });
});

describe('enrichment: shared tag arrays', () => {
  it('every sample with the same raw tag string gets the same frozen array, across packets', () => {
    const parser = makeParser({ extraTags: ['env:prod'] });
    parser.parse('a:1|c|#x:1,y:2\nb:2:3|g|#x:1,y:2');
    const result = parser.parse('c:1|h|#x:1,y:2\nd:1|h|#y:2,x:1');
    const [a, b1, b2, c, d] = result.demux.samples;
    expect(a?.tags).toEqual(['x:1', 'y:2', 'env:prod']);
    expect(b1?.tags).toBe(a?.tags);
    expect(b2?.tags).toBe(a?.tags);
    expect(c?.tags).toBe(a?.tags);
    expect(d?.tags).not.toBe(a?.tags);
    expect(Object.isFrozen(a?.tags)).toBe(true);
  });

  it('tag strings are decoded as UTF-8 and never retain the packet (flat copies)', () => {
    const s = parse(Buffer.from('näme:1|c|#clé:välue', 'utf8')).demux.samples[0];
    expect(s).toMatchObject({ name: 'näme', tags: ['clé:välue'] });
  });
});

describe('Go number rules', () => {
  it.each([
    ['1', 1],
    ['-1.5', -1.5],
    ['+2', 2],
    ['.5', 0.5],
    ['5.', 5],
    ['1e3', 1000],
    ['1E-2', 0.01],
    ['0x1p4', 16],
    ['-0x1.8p1', -3],
    ['inf', Infinity],
    ['-Infinity', -Infinity],
    ['007', 7],
    ['0.1', 0.1],
    ['123456789012345', 123456789012345],
    ['1234567890.12345', 1234567890.12345],
  ])('ParseFloat accepts %s', (text, value) => {
    expect(parseGoFloat(text)).toBe(value);
  });

  it('ParseFloat accepts nan in any case', () => {
    expect(parseGoFloat('NaN')).toBeNaN();
    expect(parseGoFloat('nan')).toBeNaN();
  });

  it.each(['', ' 1', '1 ', '0x10', '0b1', '0o7', '1_000', '1e400', '-nan', 'abc', '.', '+', '1e', 'Infinityx'])('ParseFloat rejects %j', (text) => {
    expect(parseGoFloat(text)).toBeUndefined();
  });

  it('ParseInt takes an optional sign and digits only', () => {
    expect(parseGoInt('1657100430')).toBe(1657100430);
    expect(parseGoInt('+5')).toBe(5);
    expect(parseGoInt('-5')).toBe(-5);
    for (const bad of ['', '+', '1.0', '1e3', ' 1', '0x1', '99999999999999999999']) expect(parseGoInt(bad)).toBeUndefined();
  });

  it('values the fast path takes give exactly what Number() gives', () => {
    for (const text of ['0.1', '0.3', '128.9', '-99.99', '3.14159265358979', '100000000000000']) {
      expect(parse(`m:${text}|g`).demux.samples[0]?.value).toBe(Number(text));
    }
  });

  it('NaN and ±Inf values parse but are dropped and counted, as the Agent drops them when aggregating', () => {
    const result = parse('m:nan|g\nm:inf|c\nm:1:-inf:2|h');
    expect(result.demux.samples.map((s) => s.value)).toEqual([1, 2]);
    expect(result.errors).toEqual(['metric_non_finite', 'metric_non_finite', 'metric_non_finite']);
  });

  it('a sample rate outside (0, 1] is rejected (a counter would divide by it)', () => {
    expect(parse('m:1|c|@0').errors).toEqual(['metric_sample_rate']);
    expect(parse('m:1|c|@1.5').errors).toEqual(['metric_sample_rate']);
    expect(parse('m:1|c|@nan').errors).toEqual(['metric_sample_rate']);
    expect(parse('m:1|c|@1').demux.samples[0]?.sampleRate).toBe(1);
  });
});
