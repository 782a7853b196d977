import { provide, token, type Provider, type ProviderOptions, type Token } from '../src/index.js';

/** What a probe component should do in its hooks. */
export interface ProbeBehaviour {
  startMs?: number;
  stopMs?: number;
  failStart?: boolean;
  failStop?: boolean;
  hangStart?: boolean;
  hangStop?: boolean;
  noStop?: boolean;
}

/** Records hook calls in one shared journal so tests can assert on the order. */
export class Journal {
  public readonly entries: string[] = [];
  public running = 0;
  public maxRunning = 0;
  public constructed: string[] = [];

  public starts(): string[] {
    return this.entries.filter((e) => e.startsWith('start:')).map((e) => e.slice(6));
  }

  public stops(): string[] {
    return this.entries.filter((e) => e.startsWith('stop:')).map((e) => e.slice(5));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A component that journals its hooks; made with a factory so its deps are explicit. */
export function probe(
  journal: Journal,
  name: string,
  deps: readonly Token<unknown>[] = [],
  behaviour: ProbeBehaviour = {},
  options: ProviderOptions = {},
): { token: Token<object>; provider: Provider<object> } {
  const tok = token<object>(name);
  const provider = provide(
    tok,
    {
      deps,
      useFactory: () => {
        journal.constructed.push(name);
        const hook = async (phase: 'start' | 'stop'): Promise<void> => {
          journal.running += 1;
          journal.maxRunning = Math.max(journal.maxRunning, journal.running);
          journal.entries.push(`${phase}:${name}`);
          try {
            const hang = phase === 'start' ? behaviour.hangStart : behaviour.hangStop;
            if (hang === true) await new Promise(() => {});
            await sleep((phase === 'start' ? behaviour.startMs : behaviour.stopMs) ?? 0);
            if ((phase === 'start' ? behaviour.failStart : behaviour.failStop) === true) throw new Error(`${name} ${phase} boom`);
          } finally {
            journal.running -= 1;
          }
        };
        const instance: Record<string, unknown> = { name, onStart: () => hook('start') };
        if (behaviour.noStop !== true) instance['onStop'] = () => hook('stop');
        return instance;
      },
    },
    options,
  );
  return { token: tok, provider };
}
