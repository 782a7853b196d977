import type { Event, Serie, ServiceCheck, SketchSeries } from '../src/index.js';
import type { DecodedMetricSeries, DecodedSketch } from '../src/index.js';

export const TS = 1_700_000_000;

export function gauge(name: string, overrides: Partial<Serie> = {}): Serie {
  return { name, points: [{ timestamp: TS, value: 1.5 }], tags: ['env:test'], host: 'host-a', type: 'gauge', interval: 10, ...overrides };
}

/** A varied set: every type, sources, device/resource tags, hidden, empty host, unicode, many points. */
export function variedSeries(): Serie[] {
  return [
    gauge('app.gauge'),
    gauge('app.count', { type: 'count', points: [{ timestamp: TS, value: 42 }], interval: 10, sourceTypeName: 'dogstatsd' }),
    gauge('app.rate', { type: 'rate', points: [{ timestamp: TS, value: -0.25 }], tags: [] }),
    gauge('app.disk', { tags: ['device:sda1', 'dd.internal.resource:database_instance:db1', 'team:x'] }),
    gauge('app.hidden', { noIndex: true }),
    gauge('run.custom', { host: '', source: 'serverless-custom' }),
    gauge('run.enhanced', { host: '', source: 'serverless-enhanced', interval: 0 }),
    gauge('unicode.métrique', { tags: ['ville:Zürich', 'emoji:🚀', 'x'.repeat(300)] }),
    gauge('app.points', { points: Array.from({ length: 50 }, (_, i) => ({ timestamp: TS + i * 10, value: i * 1e9 + 0.125 })) }),
    gauge('app.zero', { points: [{ timestamp: 0, value: 0 }], interval: 0 }),
  ];
}

const TYPE = { count: 1, rate: 2, gauge: 3 } as const;
const ORIGIN = {
  dogstatsd: { product: 10, category: 10, service: 0 },
  'serverless-custom': { product: 1, category: 36, service: 472 },
  'serverless-enhanced': { product: 1, category: 36, service: 473 },
} as const;

/** What the intake must decode for `serie` in a v2 payload. */
export function expectedV2(serie: Serie): DecodedMetricSeries {
  const resources = [{ type: 'host', name: serie.host }];
  const tags: string[] = [];
  for (const tag of serie.tags) {
    if (tag.startsWith('device:')) resources.push({ type: 'device', name: tag.slice(7) });
    else if (tag.startsWith('dd.internal.resource:')) {
      const [type, ...name] = tag.slice(21).split(':');
      resources.push({ type: type as string, name: name.join(':') });
    } else tags.push(tag);
  }
  return {
    resources,
    metric: serie.name,
    tags,
    points: serie.points.map((p) => ({ timestamp: p.timestamp, value: p.value })),
    type: TYPE[serie.type],
    unit: '',
    sourceTypeName: serie.sourceTypeName ?? '',
    interval: serie.interval,
    origin: { metricType: serie.noIndex === true ? 9 : 0, ...ORIGIN[serie.source ?? 'dogstatsd'] },
  };
}

export function sketch(name: string, overrides: Partial<SketchSeries> = {}): SketchSeries {
  return {
    name,
    host: 'host-a',
    tags: ['env:test'],
    interval: 10,
    points: [
      { ts: TS, cnt: 6, min: -3.5, max: 1e6, avg: 2.25, sum: 13.5, k: [-1200, -3, 0, 7, 1338], n: [1, 2, 1, 1, 1] },
      { ts: TS + 10, cnt: 1, min: 0.5, max: 0.5, avg: 0.5, sum: 0.5, k: Int16Array.from([900]), n: Uint32Array.from([1]) },
    ],
    ...overrides,
  };
}

export function expectedSketch(s: SketchSeries): DecodedSketch {
  return {
    metric: s.name,
    host: s.host,
    tags: [...s.tags],
    dogsketches: s.points.map((d) => ({ ts: d.ts, cnt: d.cnt, min: d.min, max: d.max, avg: d.avg, sum: d.sum, k: Array.from(d.k), n: Array.from(d.n) })),
    distributionCount: 0,
    origin: { metricType: 0, ...ORIGIN[s.source ?? 'dogstatsd'] },
  };
}

export function event(title: string, overrides: Partial<Event> = {}): Event {
  return { title, text: `text of ${title}\nline 2`, timestamp: TS, host: 'host-a', tags: ['env:test'], priority: 'normal', alertType: 'info', ...overrides };
}

export function serviceCheck(name: string, overrides: Partial<ServiceCheck> = {}): ServiceCheck {
  return { name, status: 0, timestamp: TS, host: 'host-a', tags: ['env:test'], message: '', ...overrides };
}

/** Random base64 text: what deflate cannot shrink much. */
export function incompressible(bytes: number, seed = 1): string {
  let x = seed;
  let out = '';
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < bytes; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out += alphabet[(x >>> 16) & 63];
  }
  return out;
}
