import { describe, expect, it } from '@jest/globals';
import { postConstruct } from 'inversify';
import { bundle, createApp, inject, injectable, optional, provide, token } from '../src/index.js';

interface Sink {
  readonly received: string[];
}
const SINK = token<Sink>('Sink');
const ABSENT = token<string>('Absent');
const SOURCE = token<Source>('Source');
const OTHER = token<Other>('Other');

@injectable()
class MemorySink implements Sink {
  public readonly received: string[] = [];
}

@injectable()
class Source {
  // Property injection: set after the constructor, before @postConstruct.
  @inject(SINK) public propertySink!: Sink;
  public seenAtPostConstruct: Sink | undefined;

  public constructor(
    @inject(SINK) public readonly sink: Sink,
    @inject(ABSENT) @optional() public readonly absent: string | undefined,
  ) {}

  @postConstruct()
  public init(): void {
    this.seenAtPostConstruct = this.propertySink;
  }
}

@injectable()
class Other {
  public constructor(@inject(SINK) public readonly sink: Sink) {}
}

describe('constructing components from the plan', () => {
  it('passes constructor @injects in order, undefined for an optional one nothing provides', () => {
    const app = createApp([bundle('x', [provide(SOURCE, Source), provide(SINK, MemorySink)])]);
    expect(app.get(SOURCE).sink).toBeInstanceOf(MemorySink);
    expect(app.get(SOURCE).absent).toBeUndefined();
  });

  it('sets property @injects, then calls @postConstruct methods', () => {
    const app = createApp([bundle('x', [provide(SOURCE, Source), provide(SINK, MemorySink)])]);
    const source = app.get(SOURCE);
    expect(source.propertySink).toBe(app.get(SINK));
    expect(source.seenAtPostConstruct).toBe(app.get(SINK));
  });

  it('builds each component once: every consumer gets the same instance', () => {
    const app = createApp([bundle('x', [provide(SOURCE, Source), provide(OTHER, Other), provide(SINK, MemorySink)])]);
    expect(app.get(OTHER).sink).toBe(app.get(SOURCE).sink);
    expect(app.get(SOURCE).propertySink).toBe(app.get(SOURCE).sink);
  });

  it('injects a value provider as given, and a factory with its deps', () => {
    const LABEL = token<string>('Label');
    const GREETING = token<{ text: string }>('Greeting');
    const app = createApp([
      bundle('x', [provide(LABEL, { useValue: 'agentkit' }), provide(GREETING, { deps: [LABEL], useFactory: (label: string) => ({ text: `hello ${label}` }) })]),
    ]);
    expect(app.get(GREETING).text).toBe('hello agentkit');
  });
});
