import { describe, expect, it } from '@jest/globals';
import { bundle, provide } from '@agentkit/core';
import { createTestApp } from '@agentkit/core/testing';
import { FakeSerializer, fakeSerializerBundle } from '@agentkit/serializer';
import { aggregatorBundle, DEMULTIPLEXER, ExpectedHostTags, expectedHostTagsFromConfig, HOST_TAG_PROVIDER } from '../../src/index.js';
import { configWith, nowSec, sample, startAggregator, until } from './helpers.js';

const FAST = { DD_AGGREGATOR_FLUSH_INTERVAL: '0.02' };
const HOST_TAGS = ['env:prod', 'team:a'];

/** The real aggregator with host tags until `deadlineMs` on a clock the test moves. */
async function startWithWindow(deadlineMs: number) {
  const clock = { nowMs: 0 };
  const provider = new ExpectedHostTags(HOST_TAGS, deadlineMs, () => clock.nowMs);
  const fake = new FakeSerializer();
  const app = createTestApp([aggregatorBundle, fakeSerializerBundle(fake), bundle('host-tags', [provide(HOST_TAG_PROVIDER, { useValue: provider })])], {
    config: configWith(FAST),
  });
  await app.start();
  return { demux: app.get(DEMULTIPLEXER), fake, clock };
}

describe('expected_tags_duration: host tags on every metric for a while after start', () => {
  it('adds them at flush to series, distributions and timestamped series, then stops at the deadline', async () => {
    const { demux, fake, clock } = await startWithWindow(60_000);
    const past = Math.floor(nowSec()) - 60;
    demux.addSamples([sample('g', 'gauge', 1, past, ['team:a', 'x:1']), sample('d', 'distribution', 2, past, ['y:2'])]);
    demux.addTimestampedSamples([sample('t', 'gauge', 3, past)]);
    await until(() => fake.named('g').length > 0 && fake.sketches.length > 0 && fake.named('t').length > 0);
    expect(fake.named('g')[0]?.tags).toEqual(['env:prod', 'team:a', 'x:1']);
    expect(fake.sketches[0]?.tags).toEqual(['env:prod', 'team:a', 'y:2']);
    expect(fake.named('t')[0]?.tags).toEqual(['env:prod', 'team:a']);

    clock.nowMs = 60_000; // the window is over
    demux.addSamples([sample('g2', 'gauge', 1, past, ['x:1']), sample('d2', 'distribution', 2, past)]);
    demux.addTimestampedSamples([sample('t2', 'gauge', 3, past)]);
    await until(() => fake.named('g2').length > 0 && fake.sketches.some((s) => s.name === 'd2') && fake.named('t2').length > 0);
    expect(fake.named('g2')[0]?.tags).toEqual(['x:1']);
    expect(fake.sketches.find((s) => s.name === 'd2')?.tags).toEqual([]);
    expect(fake.named('t2')[0]?.tags).toEqual([]);
  });

  it('adds nothing by default (0), even with host tags configured', async () => {
    const fake = new FakeSerializer();
    const { demux } = await startAggregator({ ...FAST, DD_TAGS: 'team:a', DD_ENV: 'prod' }, fake);
    demux.addSamples([sample('g', 'gauge', 1, Math.floor(nowSec()) - 60, ['x:1'])]);
    await until(() => fake.named('g').length > 0);
    expect(fake.named('g')[0]?.tags).toEqual(['x:1']);
  });

  it('is anchored at the process start, as the Agent anchors it at its own', () => {
    const config = configWith({ DD_EXPECTED_TAGS_DURATION: '30m', DD_TAGS: 'team:a', DD_EXTRA_TAGS: 'zone:1', DD_ENV: 'prod' });
    expect(expectedHostTagsFromConfig(config, Date.now())?.hostTags()).toEqual(['env:prod', 'team:a', 'zone:1']);
    expect(expectedHostTagsFromConfig(config, Date.now() - 31 * 60_000)?.hostTags()).toBeUndefined();
    expect(expectedHostTagsFromConfig(configWith({ DD_TAGS: 'team:a' }))).toBeUndefined();
    expect(expectedHostTagsFromConfig(configWith({ DD_EXPECTED_TAGS_DURATION: '30m' }))).toBeUndefined();
  });
});
