import { describe, expect, it } from '@jest/globals';
import { bundle, createApp, DropCounter, provide, TELEMETRY, token, type TelemetryReader } from '../src/index.js';
import { RecordingLogger } from '../src/testing/index.js';

describe('DropCounter', () => {
  it('counts every drop by reason but logs a burst once per interval', () => {
    const logger = new RecordingLogger();
    const { lines } = logger;
    const drops = new DropCounter(logger, { intervalMs: 60_000 });
    for (let i = 0; i < 1000; i++) drops.drop('queue_full');
    drops.drop('parse_error', 3);
    expect(drops.count('queue_full')).toBe(1000);
    expect(drops.count()).toBe(1003);
    expect(lines.map((l) => l.msg)).toEqual(['dropped 1 (queue_full)', 'dropped 3 (parse_error)']);
    drops.flushLog();
    expect(lines.at(-1)).toMatchObject({ msg: 'dropped 999 (queue_full)', obj: { reason: 'queue_full', dropped: 999, total: 1000 } });
    expect(drops.snapshot()).toEqual({ 'dropped.queue_full': 1000, 'dropped.parse_error': 3 });
  });

  it('logs again once the interval has passed', async () => {
    const logger = new RecordingLogger();
    const { lines } = logger;
    const drops = new DropCounter(logger, { intervalMs: 20 });
    drops.drop('timeout');
    drops.drop('timeout');
    await new Promise((r) => setTimeout(r, 30));
    drops.drop('timeout');
    expect(lines.map((l) => l.obj['dropped'])).toEqual([1, 2]);
  });
});

describe('App.telemetry()', () => {
  it('collects snapshots from every constructed component that reports telemetry', async () => {
    const A = token<object>('A');
    const B = token<object>('B');
    const app = createApp([
      bundle('x', [provide(A, { useValue: { telemetry: () => ({ packets: 3 }) } }), provide(B, { deps: [A], useFactory: () => ({}) })]),
    ]);
    expect(app.telemetry()).toEqual({});
    await app.start();
    expect(app.telemetry()).toEqual({ A: { packets: 3 } });
    await app.stop();
  });
});

describe('TELEMETRY built-in', () => {
  it('lets a component read every other component\'s telemetry (a status server needs nothing registered)', async () => {
    const SOURCE = token<object>('Source');
    const STATUS = token<{ read(): Record<string, unknown> }>('Status');
    const app = createApp([
      bundle('x', [
        provide(SOURCE, { useValue: { telemetry: () => ({ packets: 7 }) } }),
        provide(STATUS, { deps: [TELEMETRY], useFactory: (telemetry: TelemetryReader) => ({ read: () => telemetry.snapshot() }) }),
      ]),
    ]);
    await app.start();
    expect(app.get(STATUS).read()).toEqual({ Source: { packets: 7 } });
    await app.stop();
  });
});
