import { describe, expect, it } from '@jest/globals';
import { bundle, createApp, inject, injectable, provide, replace, replaceWith, token, SHUTDOWNER, type Shutdowner } from '../src/index.js';
import { LifecycleRecorder, RecordingLogger } from '../src/testing/index.js';
import { Journal, probe } from './helpers.js';

interface Sink {
  received: string[];
  onStart(): void;
  onStop(): void;
}
const SINK = token<Sink>('Sink');
const SOURCE = token<{ sink: Sink }>('Source');

@injectable()
class MemorySink implements Sink {
  public received: string[] = [];
  public static log: string[] = [];
  public onStart(): void {
    MemorySink.log.push('start:Sink');
  }
  public onStop(): void {
    MemorySink.log.push('stop:Sink');
  }
}

@injectable()
class Source {
  public constructor(@inject(SINK) public readonly sink: Sink) {}
  public onStart(): void {
    MemorySink.log.push('start:Source');
  }
  public onStop(): void {
    this.sink.received.push('drained');
    MemorySink.log.push('stop:Source');
  }
}

describe('App', () => {
  describe('.start() and .stop()', () => {
    it('orders class components by their @inject edges, not by registration', async () => {
      MemorySink.log = [];
      // Registered source first: the order must still come from the injection edge.
      const app = createApp([bundle('pipeline', [provide(SOURCE, Source), provide(SINK, MemorySink)])]);
      await app.start();
      await app.stop();
      expect(MemorySink.log).toEqual(['start:Sink', 'start:Source', 'stop:Source', 'stop:Sink']);
      expect(app.get(SINK).received).toEqual(['drained']);
      expect(app.get(SOURCE).sink).toBe(app.get(SINK));
    });

    it('orders factory components by their deps and stops in the exact reverse', async () => {
      const j = new Journal();
      const forwarder = probe(j, 'Forwarder');
      const serializer = probe(j, 'Serializer', [forwarder.token]);
      const demux = probe(j, 'Demux', [serializer.token]);
      const server = probe(j, 'Server', [demux.token]);
      const listener = probe(j, 'Listener', [server.token]);
      const app = createApp([
        bundle('listeners', [listener.provider]),
        bundle('server', [server.provider]),
        bundle('tail', [forwarder.provider, demux.provider, serializer.provider]),
      ]);
      expect(app.graph().startOrder).toEqual(['Forwarder', 'Serializer', 'Demux', 'Server', 'Listener']);
      await app.start();
      await app.stop();
      expect(j.starts()).toEqual(['Forwarder', 'Serializer', 'Demux', 'Server', 'Listener']);
      expect(j.stops()).toEqual(['Listener', 'Server', 'Demux', 'Serializer', 'Forwarder']);
    });

    it('stops a component without onStart, and skips missing hooks silently', async () => {
      const log: string[] = [];
      const A = token<object>('A');
      const B = token<object>('B');
      const app = createApp([
        bundle('b', [
          provide(A, { useValue: { onStop: () => log.push('stop:A') } }),
          provide(B, { deps: [A], useFactory: () => ({ onStart: () => log.push('start:B') }) }),
        ]),
      ]);
      await app.start();
      await app.stop();
      expect(log).toEqual(['start:B', 'stop:A']);
    });
  });

  describe('idempotence and concurrency', () => {
    it('runs each hook once however often start and stop are called, even concurrently', async () => {
      const j = new Journal();
      const a = probe(j, 'A', [], { startMs: 20, stopMs: 20 });
      const app = createApp([bundle('b', [a.provider])]);
      await Promise.all([app.start(), app.start(), app.start()]);
      await app.start();
      await Promise.all([app.stop(), app.stop()]);
      await app.stop();
      expect(j.entries).toEqual(['start:A', 'stop:A']);
      expect(app.state).toBe('stopped');
    });

    it('treats stop before start as a no-op, constructing nothing', async () => {
      const j = new Journal();
      const app = createApp([bundle('b', [probe(j, 'A').provider])]);
      await app.stop();
      expect(j.constructed).toEqual([]);
      await expect(app.start()).rejects.toMatchObject({ code: 'ERR_CORE_INVALID_STATE' });
    });

    it('waits for a pending start before stopping', async () => {
      const j = new Journal();
      const app = createApp([bundle('b', [probe(j, 'A', [], { startMs: 50 }).provider])]);
      const starting = app.start();
      await app.stop();
      await starting;
      expect(j.entries).toEqual(['start:A', 'stop:A']);
    });
  });

  describe('events and logging', () => {
    it('sends onEvent an executing and an executed event for every hook', async () => {
      const j = new Journal();
      const a = probe(j, 'A');
      const b = probe(j, 'B', [a.token], { noStop: true });
      const recorder = new LifecycleRecorder();
      const app = createApp([bundle('x', [a.provider, b.provider])], { onEvent: recorder.onEvent });
      await app.start();
      await app.stop();
      expect(recorder.events.map((e) => `${e.type}:${e.phase}:${e.component}`)).toEqual([
        'executing:start:A',
        'executed:start:A',
        'executing:start:B',
        'executed:start:B',
        'executing:stop:A',
        'executed:stop:A',
      ]);
      for (const e of recorder.events) expect(typeof e.durationMs).toBe('number');
    });

    it('logs each hook duration and the bundle plan at debug level', async () => {
      const logger = new RecordingLogger();
      const { lines } = logger;
      const j = new Journal();
      const app = createApp([bundle('on', [probe(j, 'A').provider]), bundle('off', [probe(j, 'B').provider], { enabled: () => false })], {
        logger,
      });
      await app.start();
      await app.stop();
      const debug = lines.filter((l) => l.level === 'debug');
      expect(debug[0]?.msg).toContain('on on (always on), off off (disabled by config)');
      expect(debug.filter((l) => l.obj['component'] === 'A').map((l) => [l.obj['phase'], typeof l.obj['durationMs']])).toEqual([
        ['start', 'number'],
        ['stop', 'number'],
      ]);
    });
  });

  describe('Shutdowner', () => {
    it('lets a component ask the app to stop', async () => {
      const WORKER = token<{ done(): void }>('Worker');
      const app = createApp([
        bundle('w', [provide(WORKER, { deps: [SHUTDOWNER], useFactory: (s: Shutdowner) => ({ done: () => s.shutdown(3) }) })]),
      ]);
      const running = app.run();
      await new Promise((r) => setTimeout(r, 10));
      app.get(WORKER).done();
      await expect(running).resolves.toBe(3);
      expect(app.state).toBe('stopped');
    });
  });

  describe('replace()', () => {
    it('swaps a provider for a value or for a class with its own dependencies', async () => {
      MemorySink.log = [];
      const fake: Sink = { received: [], onStart: () => undefined, onStop: () => undefined };
      const withValue = createApp([bundle('p', [provide(SOURCE, Source), provide(SINK, MemorySink)]), replace(SINK, fake)]);
      expect(withValue.get(SOURCE).sink).toBe(fake);
      expect(withValue.graph().nodes.find((n) => n.name === 'Sink')).toMatchObject({ kind: 'value', replaced: true });

      const LABEL = token<string>('Label');
      @injectable()
      class LabelledSink extends MemorySink {
        public constructor(@inject(LABEL) public readonly label: string) {
          super();
        }
      }
      const withClass = createApp([
        bundle('p', [provide(SOURCE, Source), provide(SINK, MemorySink), provide(LABEL, { useValue: 'fake' })]),
        replace(SINK, LabelledSink),
      ]);
      expect((withClass.get(SOURCE).sink as LabelledSink).label).toBe('fake');
      expect(withClass.graph().edges).toContainEqual({ from: 'Sink', to: 'Label', kind: 'inject' });
    });

    it('replaceWith() takes a factory with extra dependencies, so the replacement starts after them and stops before them', async () => {
      const GATE = token<{ onStart(): void; onStop(): void }>('Gate');
      const order: string[] = [];
      const app = createApp([
        bundle('p', [
          provide(SOURCE, Source),
          provide(SINK, MemorySink),
          provide(GATE, { useValue: { onStart: () => void order.push('start Gate'), onStop: () => void order.push('stop Gate') } }),
        ]),
        replaceWith(
          provide(SINK, {
            deps: [GATE],
            useFactory: (): Sink => ({ received: [], onStart: () => void order.push('start Sink'), onStop: () => void order.push('stop Sink') }),
          }),
        ),
      ]);
      await app.start();
      await app.stop();
      expect(app.graph().edges).toContainEqual({ from: 'Sink', to: 'Gate', kind: 'inject' });
      expect(order).toEqual(['start Gate', 'start Sink', 'stop Sink', 'stop Gate']);
    });
  });
});
