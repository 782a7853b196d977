import { describe, expect, it } from '@jest/globals';
import { freeUdpPort } from '@agentkit/core/testing';
import { DOGSTATSD_SERVER, NameBlocklist } from '@agentkit/dogstatsd';
import { dsdConfig, HOST, waitFor } from './helpers.js';
import { sendUdp, udpApp } from './udp-helpers.js';
import { blocklistFromConfig } from '../src/parser/parser-options.js';

/** Starts a bundle on a reserved UDP port, sends `packets` as datagrams, waits until all are parsed. */
async function receive(values: Record<string, unknown>, packets: readonly string[]) {
  const port = await freeUdpPort();
  const { app, demux, logger } = udpApp(port, values);
  await app.start();
  await sendUdp(port, packets);
  const server = () => app.telemetry()['DogstatsdServer'] ?? {};
  await waitFor(() => server()['packets'] === packets.length, `${packets.length} packets parsed`);
  return { app, demux, logger, telemetry: server() };
}

describe('statsd_metric_blocklist', () => {
  it('drops the listed names received over UDP and counts every value dropped; other names are intact', async () => {
    const { demux, telemetry, logger } = await receive({ statsd_metric_blocklist: ['blocked.count', 'blocked.hist'] }, [
      'blocked.count:1|c|#a:b',
      'kept.gauge:2|g|#a:b\nblocked.hist:1:2:3|h',
      'blocked.count.longer:4|c',
      'blocked.coun:5|c',
      '_e{13,4}:blocked.count|text',
      '_sc|blocked.count|0',
    ]);
    expect(demux.samples.map((s) => [s.name, s.value, s.tags])).toEqual([
      ['kept.gauge', 2, ['a:b']],
      ['blocked.count.longer', 4, []],
      ['blocked.coun', 5, []],
    ]);
    // Events and service checks are never filtered (the Agent filters metric samples only).
    expect(demux.events.map((e) => e.title)).toEqual(['blocked.count']);
    expect(demux.serviceChecks.map((c) => c.name)).toEqual(['blocked.count']);
    expect(telemetry).toMatchObject({ 'dropped.blocklisted': 4, samples: 3, lines: 7 });
    // Asked for, so not a warning; still logged (at debug) with its reason.
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'debug', obj: expect.objectContaining({ reason: 'blocklisted', dropped: 4 }) }));
    expect(logger.lines.filter((l) => l.level === 'warn' && l.obj['component'] === 'DogstatsdServer')).toEqual([]);
  });

  it('with statsd_metric_blocklist_match_prefix, drops every name that starts with an entry', async () => {
    const { demux, telemetry } = await receive({ statsd_metric_blocklist: ['app.debug', 'app.debug.deep', 'zz'], statsd_metric_blocklist_match_prefix: true }, [
      'app.debug:1|c\napp.debug.deep.x:1|c\napp.debugger:1|c\napp.deb:1|c\napp.release:1|c\nzz:1|g\nzy:1|g\nz:1|g',
    ]);
    expect(demux.samples.map((s) => s.name)).toEqual(['app.deb', 'app.release', 'zy', 'z']);
    expect(telemetry['dropped.blocklisted']).toBe(4);
  });

  it('matches the final name: after dogstatsd_mapper_profiles and statsd_metric_namespace', async () => {
    const profiles = [{ name: 'p', prefix: 'raw.', mappings: [{ match: 'raw.*', name: 'mapped.$1' }] }];
    const { demux, telemetry } = await receive(
      { statsd_metric_namespace: 'ns', dogstatsd_mapper_profiles: profiles, statsd_metric_blocklist: ['ns.mapped.x', 'ns.plain', 'other'] },
      ['raw.x:1|c\nraw.y:1|c\nplain:1|c\nother:1|c\nns.plain:1|c'],
    );
    // `other` becomes ns.other (not listed); `ns.plain` is sent as such and namespaced to ns.ns.plain.
    expect(demux.samples.map((s) => s.name)).toEqual(['ns.mapped.y', 'ns.other', 'ns.ns.plain']);
    expect(telemetry['dropped.blocklisted']).toBe(2);
  });

  it('drops timestamped samples too (the no-aggregation path), and every metric type', async () => {
    const { demux, telemetry } = await receive({ statsd_metric_blocklist: ['b'] }, [
      'b:1|g|T1657100430\nb:1|c|T1657100430\nkept:1|g|T1657100430',
      'b:1|g\nb:1|c\nb:1|h\nb:1|ms\nb:1|d\nb:member|s',
    ]);
    expect(demux.timestampedSamples.map((s) => s.name)).toEqual(['kept']);
    expect(demux.samples).toEqual([]);
    expect(telemetry['dropped.blocklisted']).toBe(8);
  });

  it('a blocked line that does not parse is a parse error, not a blocked sample (as in the Agent)', async () => {
    const { telemetry } = await receive({ statsd_metric_blocklist: ['b'] }, ['b:abc|g\nb:1|unknown']);
    expect(telemetry).toMatchObject({ 'parse_errors.metric_value': 1, 'parse_errors.metric_type': 1 });
    expect(telemetry['dropped.blocklisted']).toBeUndefined();
  });

  it('reads DD_STATSD_METRIC_BLOCKLIST (space-separated) and DD_STATSD_METRIC_BLOCKLIST_MATCH_PREFIX', () => {
    const list = blocklistFromConfig(dsdConfig({}, { DD_STATSD_METRIC_BLOCKLIST: 'a.b c', DD_STATSD_METRIC_BLOCKLIST_MATCH_PREFIX: 'true' }));
    expect([list?.has('a.b.c'), list?.has('cc'), list?.has('a'), list?.matchPrefix]).toEqual([true, true, false, true]);
    expect(blocklistFromConfig(dsdConfig())).toBeUndefined();
  });

  it('metric_filterlist, when not empty, replaces statsd_metric_blocklist with its own match_prefix (the Agent\'s precedence)', async () => {
    const { demux } = await receive(
      { metric_filterlist: ['f'], metric_filterlist_match_prefix: true, statsd_metric_blocklist: ['b'], statsd_metric_blocklist_match_prefix: false },
      ['f.x:1|c\nb:1|c\nfz:1|c'],
    );
    expect(demux.samples.map((s) => s.name)).toEqual(['b']);
    const fallback = blocklistFromConfig(dsdConfig({ metric_filterlist: [], statsd_metric_blocklist: ['b'] }));
    expect([fallback?.has('b'), fallback?.has('b.x')]).toEqual([true, false]);
  });

  it('is looked up once per distinct name, not once per line (the answer is kept with the name)', async () => {
    const port = await freeUdpPort();
    const { app, demux } = udpApp(port, { statsd_metric_blocklist: ['b'] });
    await app.start();
    const lines = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? 'b:1|c' : 'k:1|c')).join('\n');
    await sendUdp(port, [lines, lines]);
    await waitFor(() => app.telemetry()['DogstatsdServer']?.['packets'] === 2, 'two packets');
    app.get(DOGSTATSD_SERVER).flush();
    expect(demux.samples).toHaveLength(200);
    expect(app.telemetry()['DogstatsdServer']).toMatchObject({ 'dropped.blocklisted': 200 });
  });
});

describe('NameBlocklist', () => {
  it('exact mode: only equal names', () => {
    const list = new NameBlocklist(['a.b', 'c'], false);
    expect(['a.b', 'a.b.c', 'a', 'c', 'cc', ''].map((n) => list.has(n))).toEqual([true, false, false, true, false, false]);
  });

  it('prefix mode: entries covered by a shorter one are merged; the binary search finds the one prefix', () => {
    const list = new NameBlocklist(['b.c', 'a', 'abc', 'b', 'ba.x', 'é.x', 'b'], true);
    expect(list.size).toBe(3); // a, b, é.x
    expect(['a', 'abc.d', 'b.c', 'bz', 'c', '', 'é.x.y', 'é', '0'].map((n) => list.has(n))).toEqual([true, true, true, true, false, false, true, false, false]);
    expect(new NameBlocklist([], true).empty).toBe(true);
  });

  it('prefix mode agrees with a linear scan on random names', () => {
    const alphabet = ['a', 'b', '.', 'c'];
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const word = () => Array.from({ length: 1 + rand(5) }, () => alphabet[rand(alphabet.length)]).join('');
    for (let round = 0; round < 50; round++) {
      const entries = Array.from({ length: 1 + rand(8) }, word);
      const list = new NameBlocklist(entries, true);
      for (let i = 0; i < 40; i++) {
        const name = word();
        expect([entries, name, list.has(name)]).toEqual([entries, name, entries.some((e) => name.startsWith(e))]);
      }
    }
  });
});

describe('histogram_copy_to_distribution', () => {
  it('sends every histogram and timing value also as a distribution named prefix + final name, with its rate, tags and host', async () => {
    const { demux, telemetry } = await receive(
      { histogram_copy_to_distribution: true, histogram_copy_to_distribution_prefix: 'dist.', statsd_metric_namespace: 'ns', dogstatsd_tags: ['env:test'] },
      ['lat:1.5:2.5|h|@0.5|#a:b,host:h1', 'rt:30|ms|#x', 'g:1|g\nd:4|d\nc:1|c\ns:m|s'],
    );
    expect(demux.samples.map((s) => [s.name, s.type, s.value, s.sampleRate, s.tags, s.host])).toEqual([
      ['ns.lat', 'histogram', 1.5, 0.5, ['a:b', 'env:test'], 'h1'],
      ['dist.ns.lat', 'distribution', 1.5, 0.5, ['a:b', 'env:test'], 'h1'],
      ['ns.lat', 'histogram', 2.5, 0.5, ['a:b', 'env:test'], 'h1'],
      ['dist.ns.lat', 'distribution', 2.5, 0.5, ['a:b', 'env:test'], 'h1'],
      ['ns.rt', 'timing', 30, 1, ['x', 'env:test'], HOST],
      ['dist.ns.rt', 'distribution', 30, 1, ['x', 'env:test'], HOST],
      ['ns.g', 'gauge', 1, 1, ['env:test'], HOST],
      ['ns.d', 'distribution', 4, 1, ['env:test'], HOST],
      ['ns.c', 'counter', 1, 1, ['env:test'], HOST],
      ['ns.s', 'set', NaN, 1, ['env:test'], HOST],
    ]);
    expect(demux.samples[1]?.timestamp).toBe(demux.samples[0]?.timestamp);
    expect(telemetry).toMatchObject({ distribution_copies: 3, samples: 10 });
  });

  it('copies a timestamped histogram into the aggregated samples at its timestamp (the Agent\'s appendSample)', async () => {
    const { demux } = await receive({ histogram_copy_to_distribution: true }, ['th:5|h|T1657100430|#k']);
    expect(demux.timestampedSamples.map((s) => [s.name, s.type, s.timestamp])).toEqual([['th', 'histogram', 1657100430]]);
    // An empty prefix (the default) keeps the name: the type tells them apart.
    expect(demux.samples.map((s) => [s.name, s.type, s.value, s.timestamp, s.tags])).toEqual([['th', 'distribution', 5, 1657100430, ['k']]]);
  });

  it('is off by default, ignores the prefix alone, and copies nothing of a blocked histogram', async () => {
    const off = await receive({ histogram_copy_to_distribution_prefix: 'dist.' }, ['h:1|h\nt:1|ms']);
    expect(off.demux.samples.map((s) => s.type)).toEqual(['histogram', 'timing']);
    expect(off.telemetry['distribution_copies']).toBe(0);

    const blocked = await receive({ histogram_copy_to_distribution: true, histogram_copy_to_distribution_prefix: 'dist.', statsd_metric_blocklist: ['h'] }, [
      'h:1|h\nk:2|h',
    ]);
    expect(blocked.demux.samples.map((s) => s.name)).toEqual(['k', 'dist.k']);
  });
});
