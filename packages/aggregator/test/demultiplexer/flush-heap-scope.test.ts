import { describe, expect, it } from '@jest/globals';
import { bundle, provide, type HeapScope } from '@agentkit/core';
import { createTestApp } from '@agentkit/core/testing';
import { FakeSerializer, fakeSerializerBundle, type Serie, type SketchSeries } from '@agentkit/serializer';
import { aggregatorBundle, DEMULTIPLEXER, FLUSH_HEAP_SCOPE } from '../../src/index.js';
import { configWith, nowSec, sample, until } from './helpers.js';

/** A serializer that pulls what it is given at once and confirms only when told to. */
class HeldSerializer extends FakeSerializer {
  readonly #confirms: (() => void)[] = [];
  readonly #log: string[];
  public constructor(log: string[]) {
    super();
    this.#log = log;
  }
  public override sendSeries(series: Iterable<Serie>): Promise<void> {
    return this.#held(super.sendSeries(series), 'series');
  }
  public override sendSketches(sketches: Iterable<SketchSeries>): Promise<void> {
    return this.#held(super.sendSketches(sketches), 'sketches');
  }
  /** Confirms every send so far. */
  public confirm(): void {
    for (const confirm of this.#confirms.splice(0)) confirm();
  }
  async #held(pulled: Promise<void>, what: string): Promise<void> {
    await pulled;
    this.#log.push(`${what} pulled`);
    await new Promise<void>((resolve) => this.#confirms.push(resolve));
  }
}

async function startWithScope() {
  const log: string[] = [];
  const scope: HeapScope = {
    enter: () => {
      log.push('enter');
      return () => log.push('leave');
    },
  };
  const serializer = new HeldSerializer(log);
  const app = createTestApp([aggregatorBundle, fakeSerializerBundle(serializer), bundle('scope', [provide(FLUSH_HEAP_SCOPE, { useValue: scope })])], {
    config: configWith(),
  });
  await app.start();
  return { app, demux: app.get(DEMULTIPLEXER), serializer, log };
}

describe('FLUSH_HEAP_SCOPE', () => {
  it('is entered when a flush of series and sketches starts and left once the serializer has handed them all on', async () => {
    const { app, demux, serializer, log } = await startWithScope();
    demux.addSamples([sample('g', 'gauge', 1, nowSec()), sample('d', 'distribution', 2, nowSec())]);
    const stopped = app.stop();
    await until(() => log.filter((l) => l.endsWith('pulled')).length === 2);
    // One scope for the flush, entered before the serializer pulled anything, still open.
    expect(log.slice(0, 1)).toEqual(['enter']);
    expect(log).not.toContain('leave');
    serializer.confirm();
    await stopped;
    expect(log.filter((l) => l === 'enter' || l === 'leave')).toEqual(['enter', 'leave']);
    expect(serializer.series.map((s) => s.name)).toEqual(['g']);
    expect(serializer.sketches.map((s) => s.name)).toEqual(['d']);
  });

  it('is not entered by a flush without series or sketches', async () => {
    const { app, demux, log } = await startWithScope();
    demux.addEvents([{ title: 't', text: 'x', timestamp: 0, tags: [], host: 'h', priority: 'normal', alertType: 'info' }]);
    await app.stop();
    expect(log).toEqual([]);
  });
});
