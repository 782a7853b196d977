import { describe, expect, it } from '@jest/globals';
import type { Serie, SketchSeries } from '../src/index.js';
import { ItemDetacher } from '../src/index.js';
import { serializerWithFake } from './helpers.js';

// Tag sets as the aggregator keeps them (sorted, joined with ','), including the ones the
// encoders must take apart: device and resource tags, non-ASCII, a tag of 128+ characters, a
// malformed resource tag that stays a tag.
const TAG_SETS: readonly (readonly string[])[] = [
  ['a:1'],
  ['a:1', 'b:2', 'c:3', 'd:4', 'e:5'],
  ['device:sda1', 'env:prod'],
  ['a:1', 'device:eth0'],
  ['dd.internal.resource:database_instance:db-1', 'team:x'],
  ['dd.internal.resource:broken', 'z:1'],
  ['city:zürich', 'emoji:🙂', 'x:1'],
  [`long:${'v'.repeat(140)}`, `longer:${'é'.repeat(90)}`, 'short:1'],
  ['notdevice:1', 'xdd.internal.resource:a:b'],
];

/** A serie that keeps its tags joined, as the aggregator's flush hands them, counting reads of `tags`. */
class JoinedSerie implements Serie {
  public tagReads = 0;
  public readonly host = 'h';
  public readonly type = 'gauge' as const;
  public readonly interval = 10;
  public readonly points = [{ timestamp: 1_700_000_000, value: 1.5 }];
  public constructor(
    public readonly name: string,
    public readonly joinedTags: string,
  ) {}
  public get tags(): readonly string[] {
    this.tagReads++;
    return this.joinedTags.split(',');
  }
}

class JoinedSketch implements SketchSeries {
  public tagReads = 0;
  public readonly host = 'h';
  public readonly interval = 10;
  public readonly points = [{ ts: 1_700_000_000, cnt: 2, min: 1, max: 2, avg: 1.5, sum: 3, k: new Int32Array([1, 5]), n: new Uint32Array([1, 1]) }];
  public constructor(
    public readonly name: string,
    public readonly joinedTags: string,
  ) {}
  public get tags(): readonly string[] {
    this.tagReads++;
    return this.joinedTags.split(',');
  }
}

async function bodies(env: Record<string, string>, send: (s: Awaited<ReturnType<typeof serializerWithFake>>['serializer']) => Promise<void>): Promise<string[]> {
  const { serializer, forwarder } = await serializerWithFake({ DD_SERIALIZER_COMPRESSOR_KIND: 'none', ...env });
  await send(serializer);
  return forwarder.payloads.map((p) => p.body.toString('hex'));
}

describe('items with joined tags', () => {
  const plainSeries = TAG_SETS.map((tags, i): Serie => ({ name: `m${i}`, host: 'h', tags, type: 'gauge', interval: 10, points: [{ timestamp: 1_700_000_000, value: 1.5 }] }));
  const joinedSeries = (): JoinedSerie[] => TAG_SETS.map((tags, i) => new JoinedSerie(`m${i}`, tags.join(',')));

  it('encode series v2 to the same bytes as their split tags, without splitting them unless a resource tag may be in them', async () => {
    const joined = joinedSeries();
    const expected = await bodies({}, (s) => s.sendSeries(plainSeries));
    expect(await bodies({}, (s) => s.sendSeries(joined))).toEqual(expected);
    expect(expected).toHaveLength(1);
    // Only the sets holding `device:` or `dd.internal.resource:` (indexes 2–5) were split.
    expect(joined.map((s) => s.tagReads > 0)).toEqual([false, false, true, true, true, true, false, false, false]);
  });

  it('encode series v1 JSON to the same bytes', async () => {
    const env = { DD_USE_V2_API_SERIES: 'false' };
    expect(await bodies(env, (s) => s.sendSeries(joinedSeries()))).toEqual(await bodies(env, (s) => s.sendSeries(plainSeries)));
  });

  it('encode sketches to the same bytes, never splitting the tags', async () => {
    const joined = TAG_SETS.map((tags, i) => new JoinedSketch(`d${i}`, tags.join(',')));
    const plain = joined.map((j): SketchSeries => ({ name: j.name, host: j.host, interval: j.interval, points: j.points, tags: j.joinedTags.split(',') }));
    const expected = await bodies({}, (s) => s.sendSketches(plain));
    expect(await bodies({}, (s) => s.sendSketches(joined))).toEqual(expected);
    expect(joined.every((s) => s.tagReads === 0)).toBe(true);
  });

  it('are detached into plain data sharing one tags array per joined string', () => {
    const detacher = new ItemDetacher();
    const a = detacher.detach(new JoinedSerie('a', 'x:1,y:2'));
    const b = detacher.detach(new JoinedSerie('a.count', 'x:1,y:2'));
    expect(a).toEqual({ name: 'a', host: 'h', type: 'gauge', interval: 10, points: [{ timestamp: 1_700_000_000, value: 1.5 }], tags: ['x:1', 'y:2'], tagReads: 0 });
    expect('joinedTags' in a).toBe(false);
    expect(b.tags).toBe(a.tags);
    const plain = plainSeries[0] as Serie;
    expect(detacher.detach(plain)).toBe(plain);
  });
});
