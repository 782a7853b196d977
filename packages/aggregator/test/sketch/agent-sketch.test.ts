import { describe, expect, it } from '@jest/globals';
import { AgentSketch } from '../../src/sketch/agent-sketch.js';
import { goPowInt } from '../../src/sketch/go-math.js';
import { bits, fromBits, parseBins } from './helpers.js';
import { INTERPOLATION_VECTORS } from './interpolation-vectors.js';

function finish(sketch: AgentSketch) {
  const d = sketch.finish(1_700_000_000);
  if (d === undefined) throw new Error('empty sketch');
  return { ...d, k: Array.from(d.k), n: Array.from(d.n) };
}

function sketchOf(values: readonly number[], rate = 1): AgentSketch {
  const s = new AgentSketch();
  for (const v of values) s.insert(v, rate);
  return s;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

// agent-sketch.md §7.5: Agent scenarios, read after Finish().
describe('AgentSketch scenarios (§7.5)', () => {
  it('A: two unweighted values', () => {
    const d = finish(sketchOf([3.15, 2.28]));
    expect(d).toMatchObject({ cnt: 2, min: 2.28, max: 3.15, k: [1391, 1412], n: [1, 1] });
    expect(bits(d.sum)).toBe('4015b851eb851eb8');
    expect(bits(d.avg)).toBe('4005b851eb851eb8');
  });

  it('B: sample rates give truncated weights, an untruncated sum and a running avg', () => {
    const s = new AgentSketch();
    s.insert(10, 0.1);
    s.insert(20, 0.3);
    s.insert(5, 1);
    s.insert(-2, 0.5);
    const d = finish(s);
    expect(d).toMatchObject({ cnt: 16, min: -2, max: 20, k: [-1383, 1442, 1487, 1531], n: [2, 1, 10, 3] });
    expect(bits(d.sum)).toBe('4064f55555555556');
    expect(d.sum).toBe(167.66666666666669);
    expect(bits(d.avg)).toBe('4024200000000000');
  });

  it('C: rates outside (0, 1] count as 1', () => {
    const s = new AgentSketch();
    s.insert(7, 0);
    s.insert(7, 2);
    s.insert(7, -1);
    expect(finish(s)).toMatchObject({ cnt: 3, min: 7, max: 7, sum: 21, avg: 7, k: [1464], n: [3] });
  });

  it('C bis: a NaN rate counts as 1 (the 2026 Agent fix)', () => {
    const s = new AgentSketch();
    s.insert(7, NaN);
    s.insert(7, NaN);
    expect(finish(s)).toMatchObject({ cnt: 2, n: [2] });
  });

  it('D: 70,000 equal values split into a remainder bin and a full bin', () => {
    const d = finish(sketchOf(new Array<number>(70_000).fill(1)));
    expect(d).toMatchObject({ cnt: 70_000, min: 1, max: 1, sum: 70_000, avg: 1, k: [1338, 1338], n: [4465, 65535] });
  });

  it('E: one value at rate 1e-9 overflows into 15,260 bins, trimmed with mass conserved', () => {
    const d = finish(sketchOf([1], 1e-9));
    expect(d.cnt).toBe(999_999_999);
    expect(bits(d.sum)).toBe('41cdcd64ffffffff');
    expect(d.avg).toBe(1);
    expect(d.k.length).toBe(15_260);
    expect(d.k.every((k) => k === 1338)).toBe(true);
    const expected = [...new Array<number>(11_163).fill(65535), 1434, ...new Array<number>(4_096).fill(65535)];
    expect(d.n).toEqual(expected);
    expect(d.n.reduce((a, b) => a + b, 0)).toBe(999_999_999);
  });

  it('F: -50..50', () => {
    const d = finish(sketchOf(range(-50, 50)));
    const positive = [1338, 1383, 1409, 1427, 1442, 1454, 1464, 1472, 1480, 1487, 1493, 1498, 1503, 1508, 1513, 1517, 1521, 1524, 1528, 1531, 1534, 1537, 1540, 1543, 1546, 1548, 1551, 1553, 1555, 1557, 1559, 1562, 1564, 1565, 1567, 1569, 1571, 1573, 1574, 1576, 1578, 1579, 1581, 1582, 1584, 1585, 1586, 1588, 1589, 1590];
    expect(d).toMatchObject({ cnt: 101, min: -50, max: 50, sum: 0, avg: 0 });
    expect(d.k).toEqual([...positive.map((k) => -k).reverse(), 0, ...positive]);
    expect(d.n).toEqual(new Array<number>(101).fill(1));
  });

  it('G: merging two sketches', () => {
    const a = sketchOf(range(0, 9));
    const b = new AgentSketch();
    for (const i of range(0, 9)) b.insert(2.5 * i, 0.5);
    a.merge(b);
    const d = finish(a);
    expect(d).toMatchObject({ cnt: 30, min: 0, max: 22.5, sum: 270, avg: 9 });
    expect(d.k).toEqual([0, 1338, 1383, 1397, 1409, 1427, 1442, 1454, 1464, 1468, 1472, 1480, 1487, 1501, 1513, 1523, 1531, 1539]);
    expect(d.n).toEqual([3, 1, 1, 2, 1, 1, 3, 1, 1, 2, 1, 1, 2, 2, 2, 2, 2, 2]);
  });

  it('H: 5000 distinct keys are trimmed to 4096 bins at the buffer flush boundaries', () => {
    const d = finish(sketchOf(range(0, 4999).map((i) => goPowInt(1.015625, i))));
    expect(d.cnt).toBe(5000);
    expect(d.min).toBe(1);
    expect(d.max).toBe(4.572775836169617e33);
    expect(bits(d.sum)).toBe('474c9f4bb975fd7d');
    expect(bits(d.avg)).toBe('468772854dcabe76');
    expect(d.k).toEqual(range(2242, 6337));
    expect(d.n).toEqual([905, ...new Array<number>(4095).fill(1)]);
  });

  it('I: 4100 distinct keys inserted twice', () => {
    const values = range(0, 4099).map((i) => goPowInt(1.015625, i));
    const d = finish(sketchOf([...values, ...values]));
    expect(d.cnt).toBe(8200);
    expect(d.k).toEqual(range(1342, 5437));
    expect(d.n).toEqual([10, ...new Array<number>(4095).fill(2)]);
  });
});

describe('AgentSketch buffering (TestAgent)', () => {
  it('merges keys into the bins every 512 unweighted inserts and before every weighted one', () => {
    // The rows of Go's TestAgent, on one sketch: [inserts, rate, flush, expected bin sum, expected buffer].
    const rows: [number, number, boolean, number, number][] = [
      [511, 1, false, 0, 511],
      [1, 1, false, 512, 0],
      [1, 1, false, 512, 1],
      [512, 1, false, 1024, 1],
      [0, 1, true, 1025, 0],
    ];
    const s = new AgentSketch();
    for (const [inserts, rate, flush, binSum, buffered] of rows) {
      for (let i = 0; i < inserts; i++) s.insert(i, rate);
      if (flush) s.bins();
      expect([s.binTotal, s.bufferedKeys]).toEqual([binSum, buffered]);
    }
    const t = new AgentSketch();
    t.insert(0, 0.1);
    t.insert(1, 0.1);
    expect([t.binTotal, t.bufferedKeys]).toEqual([20, 0]);
    t.insert(0, 1);
    t.insert(1, 1);
    expect([t.binTotal, t.bufferedKeys]).toEqual([20, 2]);
    t.bins();
    expect([t.binTotal, t.bufferedKeys]).toEqual([22, 0]);
  });

  it('emits nothing for an empty sketch', () => {
    expect(new AgentSketch().finish(0)).toBeUndefined();
    expect(new AgentSketch().isEmpty()).toBe(true);
  });
});

describe('summary-only vectors (§7.7)', () => {
  it('ins(0.1, 0.3): cnt 3, sum 0.33333333333333337, avg 0.1', () => {
    expect(finish(sketchOf([0.1], 0.3))).toMatchObject({ cnt: 3, sum: 0.33333333333333337, avg: 0.1, k: [1189], n: [3] });
  });

  it('ins(0.1, 1/3): sum 0.30000000000000004', () => {
    expect(finish(sketchOf([0.1], 1 / 3))).toMatchObject({ cnt: 3, sum: 0.30000000000000004 });
  });
});

describe('quantile (§7.6)', () => {
  it('F (-50..50)', () => {
    const s = sketchOf(range(-50, 50));
    expect(s.quantile(0.5)).toBe(0);
    expect(s.quantile(0.01)).toBe(-48.986797377401345);
    expect(s.quantile(0.99)).toBe(48.986797377401345);
    expect(s.quantile(0.1)).toBe(-40.04470261828794);
    expect(s.quantile(0.9)).toBe(40.04470261828794);
    expect(s.quantile(0.25)).toBe(-25.150324510909467);
    expect(s.quantile(0.75)).toBe(25.150324510909467);
    expect(s.quantile(0.95)).toBe(45.332757185665734);
  });

  it('0..100', () => {
    const s = sketchOf(range(0, 100));
    expect(s.quantile(0.01)).toBe(1);
    expect(s.quantile(0.98)).toBe(98.41952553878367);
    expect(s.quantile(0.5)).toBe(49.75221608642324);
  });

  it('1..100', () => {
    const s = sketchOf(range(1, 100));
    expect(bits(s.quantile(0.5))).toBe('4049a8d8e75a442f');
    expect(bits(s.quantile(0.9))).toBe('4056982a485e4483');
    expect(bits(s.quantile(0.95))).toBe('4057da879c492c72');
    expect(bits(s.quantile(0.99))).toBe('4058cc0f34a884de');
  });

  it('10 × 100, and 50 then 10 × 100', () => {
    const s = sketchOf(new Array<number>(10).fill(100));
    expect(s.quantile(0.1)).toBe(100.15191639163478);
    expect(s.quantile(0.5)).toBe(100.60766556653917);
    expect(s.quantile(0.9)).toBe(101.21533113307832);
    const t = sketchOf([50, ...new Array<number>(10).fill(100)]);
    expect(t.quantile(0.1)).toBe(99.95733062532716);
    expect(t.quantile(0.5)).toBe(100.58206394173546);
    expect(t.quantile(0.9)).toBe(101.20679725814375);
  });

  it('squares i²/7, then -3.5, then 0: not clamped to [min, max]', () => {
    const s = sketchOf([...range(1, 200).map((i) => (i * i) / 7), -3.5, 0]);
    expect(s.quantile(0.001)).toBe(-3.5);
    expect(bits(s.quantile(0.01))).toBe('3fc2259ed2671749');
    expect(bits(s.quantile(0.25))).toBe('40759879420bdc2d');
    expect(bits(s.quantile(0.5))).toBe('4095caea12130bd8');
    expect(bits(s.quantile(0.75))).toBe('40a92b8201860928');
    expect(bits(s.quantile(0.99))).toBe('40b5fdd0b2752abd');
    expect(bits(s.quantile(0.999))).toBe('40b655c7f53eff67');
  });

  it('negative values: 4 × -100, 4 × -10', () => {
    const s = sketchOf([-100, -100, -100, -100, -10, -10, -10, -10]);
    expect(s.quantile(0.1)).toBe(-100.37979097908698);
    expect(s.quantile(0.5)).toBe(-10.075671884115119);
    expect(s.quantile(0.9)).toBe(-10.154388070709768);
  });

  it('0.37·i + 0.001', () => {
    const s = sketchOf(range(0, 999).map((i) => 0.37 * i + 0.001));
    expect(bits(s.quantile(0.5))).toBe('406746a482a5d0c9');
    expect(bits(s.quantile(0.99))).toBe('40770de19173ffc8');
    expect(bits(s.quantile(0.01))).toBe('400d6c6999e1fa62');
  });

  it('rank(101, p/100) = p (TestRank)', () => {
    // With 101 distinct unit bins, the crossing bin of rank p is the (p+1)-th value.
    const s = sketchOf(range(1, 101).map((i) => goPowInt(1.015625, i * 3)));
    for (let p = 1; p < 100; p++) {
      expect(s.quantile(p / 100)).toBe(goPowInt(1.015625, (p + 1) * 3));
    }
  });
});

describe('insertInterpolate (§7.8)', () => {
  it.each(INTERPOLATION_VECTORS.map((v) => [`${v.lower}, ${v.upper}, ${v.count}${v.twice ? ' twice' : ''}`, v] as const))(
    '%s',
    (_name, v) => {
      const s = new AgentSketch();
      s.insertInterpolate(v.lower, v.upper, v.count);
      if (v.twice === true) s.insertInterpolate(v.lower, v.upper, v.count);
      expect(s.bins()).toEqual(parseBins(v.exp));
      expect(finish(s).cnt).toBe(v.twice === true ? 2 * v.count : v.count);
    },
  );

  it('0, 10, 2 and 10, 20, 4: exact summaries', () => {
    const a = new AgentSketch();
    a.insertInterpolate(0, 10, 2);
    const da = finish(a);
    expect(da).toMatchObject({ cnt: 2, min: 0, max: 5.015009921317152, sum: 5.015009921317152 });
    expect(bits(da.avg)).toBe('40040f5ec2c4b0d9');
    const b = new AgentSketch();
    b.insertInterpolate(10, 20, 4);
    expect(finish(b)).toMatchObject({
      min: 10.075671884115119,
      max: 17.881715238148374,
      sum: 55.984700204398294,
      avg: 13.996175051099573,
    });
    expect(fromBits('40140f5ec2c4b0d9')).toBe(5.015009921317152);
  });
});
