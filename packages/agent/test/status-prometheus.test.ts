import { describe, expect, it } from '@jest/globals';
import { escapeLabelValue, formatPrometheus, formatSampleValue, labelNameForGroup, toSnakeCase } from '../src/status/prometheus.js';
import { formatStatusReport, formatUptime } from '../src/status/status-report.js';
import { parseExposition } from './status-support.js';

const INFO = { version: '1.2.3', uptimeSeconds: 12.5 };

describe('formatPrometheus', () => {
  it('names a metric agentkit_<component>_<counter>, and a dotted counter gets a label named by its group', () => {
    const text = formatPrometheus(
      {
        DogstatsdServer: { packets: 10, 'dropped.queue_full': 2, 'parse_errors.metric_type': 1 },
        Forwarder: { 'payloads_sent.series_v2': 4, 'queue.high': 3, inflight: 0 },
        Serializer: { 'payloads.sketches_v2': 1, 'skipped.no_index_v1': 5, 'disabled.events': 6 },
      },
      INFO,
    );
    const samples = parseExposition(text);
    const value = (name: string, labels: Record<string, string> = {}): number | undefined =>
      samples.find((s) => s.name === name && JSON.stringify(s.labels) === JSON.stringify(labels))?.value;
    expect(value('agentkit_dogstatsd_server_packets')).toBe(10);
    expect(value('agentkit_dogstatsd_server_dropped', { reason: 'queue_full' })).toBe(2);
    expect(value('agentkit_dogstatsd_server_parse_errors', { kind: 'metric_type' })).toBe(1);
    expect(value('agentkit_forwarder_payloads_sent', { endpoint: 'series_v2' })).toBe(4);
    expect(value('agentkit_forwarder_queue', { key: 'high' })).toBe(3);
    expect(value('agentkit_forwarder_inflight')).toBe(0);
    expect(value('agentkit_serializer_payloads', { endpoint: 'sketches_v2' })).toBe(1);
    expect(value('agentkit_serializer_skipped', { reason: 'no_index_v1' })).toBe(5);
    expect(value('agentkit_serializer_disabled', { kind: 'events' })).toBe(6);
    expect(value('agentkit_up')).toBe(1);
    expect(value('agentkit_uptime_seconds')).toBe(12.5);
    expect(value('agentkit_build_info', { version: '1.2.3' })).toBe(1);
  });

  it('writes one # TYPE line per family, before its samples, which stay together', () => {
    const text = formatPrometheus({ A: { 'dropped.x': 1, packets: 2, 'dropped.y': 3, requests_total: 4 } }, INFO);
    const lines = text.trimEnd().split('\n');
    const typeLines = lines.filter((l) => l.startsWith('# TYPE '));
    expect(new Set(typeLines).size).toBe(typeLines.length);
    const at = lines.indexOf('# TYPE agentkit_a_dropped gauge');
    expect(lines.slice(at + 1, at + 3)).toEqual(['agentkit_a_dropped{reason="x"} 1', 'agentkit_a_dropped{reason="y"} 3']);
    // Counters are told apart only by the _total convention; everything else is a gauge.
    expect(lines).toContain('# TYPE agentkit_a_requests_total counter');
    expect(lines).toContain('# TYPE agentkit_a_packets gauge');
  });

  it('escapes backslashes, quotes and line feeds in label values', () => {
    const text = formatPrometheus({ A: { 'dropped.a"b\\c\nd': 1 } }, INFO);
    expect(text).toContain('agentkit_a_dropped{reason="a\\"b\\\\c\\nd"} 1\n');
    const sample = parseExposition(text).find((s) => s.name === 'agentkit_a_dropped');
    expect(sample?.labels).toEqual({ reason: 'a"b\\c\nd' });
  });

  it('writes NaN and infinities as the format spells them, and leaves out what is not a number', () => {
    const text = formatPrometheus({ A: { nan: NaN, up: Infinity, down: -Infinity, bad: 'x' as unknown as number } }, INFO);
    expect(text).toContain('agentkit_a_nan NaN\n');
    expect(text).toContain('agentkit_a_up +Inf\n');
    expect(text).toContain('agentkit_a_down -Inf\n');
    expect(text).not.toContain('agentkit_a_bad');
  });

  it('writes a series once when two component names have one snake case', () => {
    const text = formatPrometheus({ FooBar: { n: 1 }, foo_bar: { n: 2 } }, INFO);
    expect(text.match(/^agentkit_foo_bar_n /gm)).toEqual(['agentkit_foo_bar_n ']);
    expect(text).toContain('agentkit_foo_bar_n 1\n');
  });
});

describe('naming helpers', () => {
  it.each([
    ['UdpListener', 'udp_listener'],
    ['HTTPServer', 'http_server'],
    ['DogstatsdServer', 'dogstatsd_server'],
    ['queue-depth', 'queue_depth'],
    ['read_errors', 'read_errors'],
    ['Uds2Listener', 'uds2_listener'],
  ])('snake-cases %s as %s', (name, snake) => {
    expect(toSnakeCase(name)).toBe(snake);
  });

  it('picks the label name by group', () => {
    expect(labelNameForGroup('dropped')).toBe('reason');
    expect(labelNameForGroup('parse_errors')).toBe('kind');
    expect(labelNameForGroup('payloads')).toBe('endpoint');
    expect(labelNameForGroup('payloads_failed')).toBe('endpoint');
    expect(labelNameForGroup('bytes')).toBe('key');
    expect(labelNameForGroup('constructor')).toBe('key');
  });

  it('escapes only what the format asks for', () => {
    expect(escapeLabelValue('plain.value-1')).toBe('plain.value-1');
    expect(escapeLabelValue('\\"\n')).toBe('\\\\\\"\\n');
    expect(formatSampleValue(0.25)).toBe('0.25');
  });
});

describe('the status report', () => {
  it('aligns counters, marks non-zero drops and counts them', () => {
    const report = formatStatusReport(
      {
        version: '1.2.3',
        pid: 42,
        startedAt: '2024-01-01T00:00:00.000Z',
        uptimeSeconds: 3725.4,
        components: { UdpListener: { packets: 1200, kernel_drops: 0 }, DogstatsdServer: { 'dropped.queue_full': 3, lines: 5 } },
      },
      '127.0.0.1:5001',
    );
    const lines = report.split('\n');
    expect(lines[0]).toBe('agentkit 1.2.3 on 127.0.0.1:5001: pid 42, up 1h 2m 5s (since 2024-01-01T00:00:00.000Z)');
    expect(lines).toContain('  dropped.queue_full     3  !');
    expect(lines).toContain('  kernel_drops           0');
    expect(lines).toContain('  packets             1200');
    expect(report).toContain('1 drop counter is non-zero (marked !)');
  });

  it('formats uptimes', () => {
    expect(formatUptime(0.4)).toBe('0s');
    expect(formatUptime(61)).toBe('1m 1s');
    expect(formatUptime(90_000)).toBe('1d 1h 0m 0s');
  });
});
