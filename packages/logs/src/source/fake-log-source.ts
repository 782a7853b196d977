import { bundle, provide, type Bundle } from '@agentkit/core';
import { LOG_SOURCE, type LogSource, type ProgramPipes } from './log-source.def.js';

/** Records the pipes it was given and reads nothing. For testing exec's wiring in isolation. */
export class FakeLogSource implements LogSource {
  public attached: ProgramPipes | undefined;
  public stopped = false;

  public attach(pipes: ProgramPipes): void {
    this.attached = pipes;
  }

  public onStop(): void {
    this.stopped = true;
  }
}

/** A `log-source` bundle backed by `fake`. */
export function fakeLogSourceBundle(fake: FakeLogSource = new FakeLogSource()): Bundle {
  return bundle('log-source', [provide(LOG_SOURCE, { useValue: fake })]);
}
