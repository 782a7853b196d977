// The 99 conformance cases of shared/reference/dogstatsd-pipeline.md §1.9, from the Agent's
// parser tests, each run through the real parser + enricher into a FakeDemultiplexer.
import { describe, expect, it } from '@jest/globals';
import type { Event, MetricSample, ServiceCheck } from '@agentkit/aggregator';
import { HOST, parse } from './helpers.js';

const ARRIVAL = 1_700_000_000;

function samples(input: string, options: Parameters<typeof parse>[1] = {}): MetricSample[] {
  const result = parse(input, options);
  expect(result.errors).toEqual([]);
  return [...result.demux.samples, ...result.demux.timestampedSamples];
}

function one(input: string, options: Parameters<typeof parse>[1] = {}): MetricSample {
  const all = samples(input, options);
  expect(all).toHaveLength(1);
  return all[0] as MetricSample;
}

function rejected(input: string): string[] {
  const result = parse(input);
  expect(result.demux.samples).toEqual([]);
  expect(result.demux.timestampedSamples).toEqual([]);
  expect(result.demux.events).toEqual([]);
  expect(result.demux.serviceChecks).toEqual([]);
  return result.errors;
}

describe('conformance: metrics (cases 1–38)', () => {
  it.each([
    [1, 'daemon:666|g', 'gauge', [666]],
    [2, 'daemon:666:777|g', 'gauge', [666, 777]],
    [3, 'daemon:21|c', 'counter', [21]],
    [4, 'daemon:666:777|c', 'counter', [666, 777]],
    [6, 'daemon:21|h', 'histogram', [21]],
    [7, 'daemon:21:22|h', 'histogram', [21, 22]],
    [8, 'daemon:21|ms', 'timing', [21]],
    [9, 'daemon:21:22|ms', 'timing', [21, 22]],
    [12, 'daemon:3.5|d', 'distribution', [3.5]],
    [13, 'daemon:3.5:4.5|d', 'distribution', [3.5, 4.5]],
  ])('#%i %s → %s %j', (_n, input, type, values) => {
    const out = samples(input);
    expect(out.map((s) => s.value)).toEqual(values);
    for (const s of out) {
      expect(s).toMatchObject({ name: 'daemon', type, sampleRate: 1, tags: [], host: HOST, timestamp: ARRIVAL });
    }
  });

  it('#5 tags in order', () => {
    expect(one('custom_counter:1|c|#protocol:http,bench')).toMatchObject({ name: 'custom_counter', value: 1, type: 'counter', tags: ['protocol:http', 'bench'] });
  });

  it.each([
    [10, 'daemon:abc|s', 'abc'],
    [11, 'daemon:abc:def|s', 'abc:def'],
    [14, 'daemon:♬†øU†øU¥ºuT0♪|s', '♬†øU†øU¥ºuT0♪'],
  ])('#%i %s → set member %s (raw, never split)', (_n, input, member) => {
    const s = one(input);
    expect(s.type).toBe('set');
    expect(s.setValue).toBe(member);
    expect(s.value).toBeNaN();
  });

  it('#15 two tags in order', () => {
    expect(one('daemon:666|g|#sometag1:somevalue1,sometag2:somevalue2').tags).toEqual(['sometag1:somevalue1', 'sometag2:somevalue2']);
  });

  it('#16 sample rate', () => {
    expect(one('daemon:666|g|@0.21').sampleRate).toBe(0.21);
  });

  it('#17 a lone # gives no tags', () => {
    expect(one('daemon:666|g|#').tags).toEqual([]);
  });

  it('#18 unicode name and tag', () => {
    expect(one('♬†øU†øU¥ºuT0♪:666|g|#intitulé:T0µ')).toMatchObject({ name: '♬†øU†øU¥ºuT0♪', value: 666, tags: ['intitulé:T0µ'] });
  });

  it.each([
    [19, 'daemon:666', 'metric_format'],
    [20, 'daemon:666|', 'metric_type'],
    [21, 'daemon:|g', 'metric_name_value'],
    [22, ':666|g', 'metric_name_value'],
    [23, 'abc666|g', 'metric_name_value'],
    [24, 'daemon:abc|g', 'metric_value'],
    [25, 'daemon:666|unknown', 'metric_type'],
    [26, 'daemon:666|g|@abc', 'metric_sample_rate'],
    [32, 'metric:1234|g|#onetag|TABCD', 'metric_timestamp'],
    [33, 'metric:1234|g|#onetag|T', 'metric_timestamp'],
    [34, 'metric:1234|g|#onetag|T-102348932', 'metric_timestamp'],
  ])('#%i %s is rejected (%s)', (_n, input, kind) => {
    expect(rejected(input)).toEqual([kind]);
  });

  it('#27 an unknown field is ignored', () => {
    expect(one('daemon:666|g|m:test')).toMatchObject({ name: 'daemon', value: 666, tags: [] });
  });

  it('#28 |T sets the timestamp and routes to the no-aggregation pipeline; ignored when the option is off', () => {
    const on = parse('metric:1234|g|#onetag|T1657100430');
    expect(on.demux.samples).toEqual([]);
    expect(on.demux.timestampedSamples).toEqual([expect.objectContaining({ value: 1234, tags: ['onetag'], timestamp: 1657100430 })]);
    const off = parse('metric:1234|g|#onetag|T1657100430', { readTimestamps: false });
    expect(off.demux.timestampedSamples).toEqual([]);
    expect(off.demux.samples).toEqual([expect.objectContaining({ value: 1234, timestamp: ARRIVAL })]);
  });

  it('#29 timestamp with an empty tag field', () => {
    expect(one('metric:1234|g|#|T1657100430')).toMatchObject({ tags: [], timestamp: 1657100430 });
  });

  it('#30 sample rate and timestamp', () => {
    expect(one('metric:1234|g|@0.21|T1657100440')).toMatchObject({ sampleRate: 0.21, timestamp: 1657100440 });
  });

  it('#31 optional fields in any order give the same sample', () => {
    const orders = [
      'metric:1234|g|#onetag|@0.21|T1657100440',
      'metric:1234|g|T1657100440|#onetag|@0.21',
      'metric:1234|g|@0.21|T1657100440|#onetag',
      'metric:1234|g|T1657100440|@0.21|#onetag',
    ];
    for (const input of orders) {
      expect(one(input)).toMatchObject({ name: 'metric', value: 1234, tags: ['onetag'], sampleRate: 0.21, timestamp: 1657100440 });
    }
  });

  it('#35 unknown f: / f2: fields are ignored (and c: too, origin detection being off)', () => {
    const s = one(
      'example.metric:2.39283|d|@1.000000|#environment:dev|c:2a25f7fc8fbf573d62053d7263dd2d440c07b6ab4d2b107e50b0d4df1f2ee15f|f:wowthisisacoolfeature|f2:wowthisisacoolfeature2',
    );
    expect(s).toMatchObject({ name: 'example.metric', value: 2.39283, type: 'distribution', sampleRate: 1, tags: ['environment:dev'] });
    expect(s.origin).toBeUndefined();
  });

  it('#36 c: gives the local data (container id) when origin detection is on', () => {
    expect(one('metric:1234|g|c:1234567890abcdef', { originDetectionClient: true }).origin).toEqual({ localData: '1234567890abcdef' });
  });

  it('#37 c: with container id and inode is kept as sent', () => {
    expect(one('metric:1234|g|c:ci-1234567890abcdef,in-1234', { originDetectionClient: true }).origin).toEqual({
      localData: 'ci-1234567890abcdef,in-1234',
    });
  });

  it('#38 e: gives the external data as sent', () => {
    expect(one('metric:1234|g|e:it-false,cn-container,pu-uid', { originDetectionClient: true }).origin).toEqual({
      externalData: 'it-false,cn-container,pu-uid',
    });
  });
});

describe('conformance: parse helpers (cases 39–46)', () => {
  it('#39 tags split on commas', () => {
    expect(one('m:1|g|#tag:test,mytag,good:boy').tags).toEqual(['tag:test', 'mytag', 'good:boy']);
  });

  it('#40 an empty tag list gives no tags', () => {
    expect(one('m:1|g|#').tags).toEqual([]);
  });

  it.each([
    [41, '1.1234:21.5:13', [1.1234, 21.5, 13]],
    [42, '1.1234', [1.1234]],
    [43, '1.1234:41:', [1.1234, 41]],
    [44, '1.1234::41', [1.1234, 41]],
    [45, ':1.1234::41', [1.1234, 41]],
  ])('#%i packed values %s → %j (empty entries skipped)', (_n, values, expected) => {
    expect(samples(`m:${values}|g`).map((s) => s.value)).toEqual(expected);
  });

  it('#46 no value at all is an error (empty, or only separators)', () => {
    expect(rejected('m:|g')).toEqual(['metric_name_value']);
    expect(rejected('m:::|g')).toEqual(['metric_value']);
  });
});

const BASE_EVENT = '_e{10,9}:test title|test text';

function event(input: string): Event {
  const result = parse(input);
  expect(result.errors).toEqual([]);
  expect(result.demux.events).toHaveLength(1);
  return result.demux.events[0] as Event;
}

describe('conformance: events (cases 47–80)', () => {
  it('#47 title, text and defaults', () => {
    expect(event(BASE_EVENT)).toEqual({
      title: 'test title',
      text: 'test text',
      timestamp: 0,
      host: HOST,
      tags: [],
      priority: 'normal',
      alertType: 'info',
    });
  });

  it('#48 only backslash-n pairs become newlines', () => {
    expect(event('_e{10,24}:test title|test\\line1\\nline2\\nline3').text).toBe('test\\line1\nline2\nline3');
  });

  it('#49 the title length governs, so the title may hold a |', () => {
    const e = event('_e{10,24}:test|title|test\\line1\\nline2\\nline3');
    expect(e.title).toBe('test|title');
    expect(e.text).toBe('test\\line1\nline2\nline3');
  });

  it.each([
    [50, '_e:title|text'],
    [51, '_e{10,10}:title|text'],
    [52, '_e{0,0}:a|a'],
    [53, '_e{0,4}:text'],
    [54, '_e{5555:title|text'],
    [55, '_e{a,1}:title|text'],
    [56, '_e{1,a}:title|text'],
    [57, '_e{5,}:title|text'],
    [58, '_e{,4}:title|text'],
    [59, '_e{}:title|text'],
    [60, '_e{,}:title|text'],
    [61, '_e|text'],
    [62, '_e:|text'],
    [63, '_e{-123,-987}:'],
    [64, '_e{5,-987}:title'],
    [65, '_e{0001,-9876'],
    [66, '_e{0,9}:|test text'],
  ])('#%i %s is rejected', (_n, input) => {
    // `_e|text`, `_e:|text` do not start with `_e{`: they are tried as metrics, as in the Agent.
    const errors = rejected(input);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(input.startsWith('_e{') ? /^event$/ : /^metric_/);
  });

  it('#67 empty text', () => {
    expect(event('_e{10,0}:test title|')).toMatchObject({ title: 'test title', text: '' });
  });

  it('#68 empty text and an alert type', () => {
    expect(event('_e{10,0}:test title||t:warning')).toMatchObject({ text: '', alertType: 'warning' });
  });

  it.each([
    [69, '|d:abc', { timestamp: 0 }],
    [70, '|p:urgent', { priority: 'normal' }],
    [71, '|t:test', { alertType: 'info' }],
    [72, '|x:1234', { title: 'test title', text: 'test text' }],
    [73, '|d:21', { timestamp: 21 }],
    [74, '|p:low', { priority: 'low' }],
    [75, '|h:localhost', { host: 'localhost' }],
    [76, '|t:warning', { alertType: 'warning' }],
    [77, '|k:some aggregation key', { aggregationKey: 'some aggregation key' }],
    [78, '|s:this is the source', { sourceTypeName: 'this is the source' }],
    [79, '|#tag1,tag2:test', { tags: ['tag1', 'tag2:test'] }],
  ])('#%i optional field %s', (_n, suffix, expected) => {
    expect(event(BASE_EVENT + suffix)).toMatchObject(expected);
  });

  it('#80 every field at once', () => {
    expect(event('_e{10,9}:test title|test text|t:warning|d:12345|p:low|h:some.host|k:aggKey|s:source test|#tag1,tag2:test')).toEqual({
      title: 'test title',
      text: 'test text',
      timestamp: 12345,
      host: 'some.host',
      tags: ['tag1', 'tag2:test'],
      priority: 'low',
      alertType: 'warning',
      aggregationKey: 'aggKey',
      sourceTypeName: 'source test',
    });
  });
});

function check(input: string): ServiceCheck {
  const result = parse(input);
  expect(result.errors).toEqual([]);
  expect(result.demux.serviceChecks).toHaveLength(1);
  return result.demux.serviceChecks[0] as ServiceCheck;
}

describe('conformance: service checks (cases 81–95)', () => {
  it('#81 name and status', () => {
    expect(check('_sc|agent.up|0')).toEqual({ name: 'agent.up', status: 0, timestamp: 0, host: HOST, tags: [], message: '' });
  });

  it.each([
    [82, '_sc|agent.up'],
    [83, '_sc|agent.up|'],
    [84, '_sc||'],
    [85, '_sc|'],
    [86, '_sc|agent.up|OK'],
    [87, '_sc|agent.up|21'],
  ])('#%i %s is rejected', (_n, input) => {
    expect(rejected(input)).toEqual(['service_check']);
  });

  it.each([
    [88, '_sc|agent.up|0|d:some_time', { timestamp: 0 }],
    [89, '_sc|agent.up|0|u:unknown', { name: 'agent.up', status: 0 }],
    [90, '_sc|agent.up|0|d:21', { timestamp: 21 }],
    [91, '_sc|agent.up|0|h:localhost', { host: 'localhost' }],
    [92, '_sc|agent.up|0|#tag1,tag2:test,tag3', { tags: ['tag1', 'tag2:test', 'tag3'] }],
    [93, '_sc|agent.up|0|m:this is fine', { message: 'this is fine' }],
  ])('#%i %s', (_n, input, expected) => {
    expect(check(input)).toMatchObject(expected);
  });

  it('#94 every field', () => {
    expect(check('_sc|agent.up|0|d:21|h:localhost|#tag1:test,tag2|m:this is fine')).toEqual({
      name: 'agent.up',
      status: 0,
      timestamp: 21,
      host: 'localhost',
      tags: ['tag1:test', 'tag2'],
      message: 'this is fine',
    });
  });

  it('#95 a repeated field: the last one wins', () => {
    expect(check('_sc|agent.up|0|d:21|h:localhost|h:localhost2|d:22')).toMatchObject({ host: 'localhost2', timestamp: 22 });
  });

  it('statuses 1, 2 and 3 are WARNING, CRITICAL and UNKNOWN', () => {
    expect([1, 2, 3].map((s) => check(`_sc|x|${s}`).status)).toEqual([1, 2, 3]);
  });
});

describe('conformance: packet splitting (cases 96–99)', () => {
  const PACKET = 'foo\nbar\r\nbaz\r\nquz\nhax\r';

  it('#96 eol required: the unterminated last message is dropped and counted', () => {
    const result = parse(PACKET, {}, true);
    expect(result.lines).toBe(4);
    expect(result.unterminated).toBe(1);
    const named = parse('foo:1|c\nbar:1|c\r\nbaz:1|c\r\nquz:1|c\nhax:1|c\r', {}, true);
    expect(named.demux.samples.map((s) => s.name)).toEqual(['foo', 'bar', 'baz', 'quz']);
    expect(named.unterminated).toBe(1);
  });

  it('#97 eol not required: the last message counts too (its \\r dropped)', () => {
    const result = parse(PACKET, {}, false);
    expect(result.lines).toBe(5);
    expect(result.unterminated).toBe(0);
    const named = parse('foo:1|c\nbar:1|c\r\nbaz:1|c\r\nquz:1|c\nhax:1|c\r', {}, false);
    expect(named.demux.samples.map((s) => s.name)).toEqual(['foo', 'bar', 'baz', 'quz', 'hax']);
  });

  it('#98 everything terminated, eol required: all 5 messages', () => {
    const result = parse('foo\nbar\r\nbaz\r\nquz\nhax\r\n', {}, true);
    expect(result.lines).toBe(5);
    expect(result.unterminated).toBe(0);
  });

  it('#99 empty lines are skipped', () => {
    const result = parse('daemon:666|g\n\ndaemon:777|g');
    expect(result.lines).toBe(2);
    expect(result.demux.samples.map((s) => s.value)).toEqual([666, 777]);
    expect(result.errors).toEqual([]);
  });
});
