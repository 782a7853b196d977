// A custom agent composed from the public API: agentkit's DogStatsD server and aggregator,
// with an exporter of our own in place of the serializer and forwarder. It prints every
// flushed series as one line (`name{tags} type value @timestamp`). Compose it with
// `createApp([dogstatsdBundle, aggregatorBundle, consoleExporterBundle], { config })`.
// Run by agent.test.ts.
import { bundle, inject, injectable, provide, token } from '@agentkit/core';
import { SERIALIZER, type Event, type Serie, type Serializer, type ServiceCheck, type SketchSeries } from '@agentkit/serializer';

/** Where the exporter writes: stdout in a real agent, a collector in tests. */
export interface LineSink {
  write(line: string): void;
}
export const LINE_SINK = token<LineSink>('LineSink');

/**
 * Takes the serializer's place, so the aggregator injects it: it starts before the aggregator
 * and stops after it, and so still receives the aggregator's final flush at stop.
 */
@injectable()
export class ConsoleExporter implements Serializer {
  public constructor(@inject(LINE_SINK) private readonly sink: LineSink) {}

  public sendSeries(series: Iterable<Serie>): Promise<void> {
    for (const serie of series) {
      for (const point of serie.points) {
        this.sink.write(`${serie.name}{${serie.tags.join(',')}} ${serie.type} ${point.value} @${point.timestamp}`);
      }
    }
    return Promise.resolve();
  }

  public sendSketches(sketches: Iterable<SketchSeries>): Promise<void> {
    for (const s of sketches) for (const p of s.points) this.sink.write(`${s.name}{${s.tags.join(',')}} distribution count=${p.cnt} avg=${p.avg} @${p.ts}`);
    return Promise.resolve();
  }

  public sendEvents(events: readonly Event[]): Promise<void> {
    for (const e of events) this.sink.write(`event ${JSON.stringify(e.title)}`);
    return Promise.resolve();
  }

  public sendServiceChecks(checks: readonly ServiceCheck[]): Promise<void> {
    for (const c of checks) this.sink.write(`check ${c.name} status=${c.status}`);
    return Promise.resolve();
  }
}

/** The exporter bundle: our serializer, and stdout as its sink unless a test replaces it. */
export const consoleExporterBundle = bundle('console-exporter', [
  provide(SERIALIZER, ConsoleExporter),
  provide(LINE_SINK, { useValue: { write: (line: string) => void process.stdout.write(`${line}\n`) } }),
]);
