import { bundle, provide, type Bundle } from '@agentkit/core';
import { DEFAULT_LOCAL_INTAKE_PORT } from '@agentkit/config';
import type {
  LocalDebuggerUpload,
  LocalEvent,
  LocalHost,
  LocalIntake,
  LocalIntakeStats,
  LocalLog,
  LocalSeries,
  LocalServiceCheck,
  LocalSketch,
  LocalSymdbUpload,
} from './local-intake.def.js';
import { LOCAL_INTAKE } from './local-intake.def.js';

/** What a FakeLocalIntake holds; tests push into these arrays directly. */
export interface FakeLocalIntakeData {
  series?: LocalSeries[];
  sketches?: LocalSketch[];
  events?: LocalEvent[];
  serviceChecks?: LocalServiceCheck[];
  symdbUploads?: LocalSymdbUpload[];
  debuggerUploads?: LocalDebuggerUpload[];
  hosts?: LocalHost[];
  logs?: LocalLog[];
}

/**
 * A LocalIntake from in-memory data, with no socket: for testing what reads the intake (a
 * command printing it, a status page). `url` is `http://127.0.0.1:<port>` but nothing listens.
 * Records its start and stop.
 */
export class FakeLocalIntake implements LocalIntake {
  public readonly data: Required<FakeLocalIntakeData>;
  public started = false;
  public stopped = false;
  readonly #port: number;

  public constructor(data: FakeLocalIntakeData = {}, port = DEFAULT_LOCAL_INTAKE_PORT) {
    this.data = {
      series: data.series ?? [],
      sketches: data.sketches ?? [],
      events: data.events ?? [],
      serviceChecks: data.serviceChecks ?? [],
      symdbUploads: data.symdbUploads ?? [],
      debuggerUploads: data.debuggerUploads ?? [],
      hosts: data.hosts ?? [],
      logs: data.logs ?? [],
    };
    this.#port = port;
  }

  public get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  public get port(): number {
    return this.#port;
  }

  public onStart(): void {
    this.started = true;
  }

  public onStop(): void {
    this.stopped = true;
  }

  public series(): LocalSeries[] {
    return [...this.data.series];
  }

  public sketches(): LocalSketch[] {
    return [...this.data.sketches];
  }

  public events(): LocalEvent[] {
    return [...this.data.events];
  }

  public serviceChecks(): LocalServiceCheck[] {
    return [...this.data.serviceChecks];
  }

  public symdbUploads(): LocalSymdbUpload[] {
    return [...this.data.symdbUploads];
  }

  public debuggerUploads(): LocalDebuggerUpload[] {
    return [...this.data.debuggerUploads];
  }

  public hosts(): LocalHost[] {
    return [...this.data.hosts];
  }

  public logs(): LocalLog[] {
    return [...this.data.logs];
  }

  public stats(): LocalIntakeStats {
    return {
      requests: {},
      items: {},
      dropped: {},
      evicted: 0,
      stored: {
        series: this.data.series.length,
        sketches: this.data.sketches.length,
        events: this.data.events.length,
        serviceChecks: this.data.serviceChecks.length,
        symdbUploads: this.data.symdbUploads.length,
        debuggerUploads: this.data.debuggerUploads.length,
        hosts: this.data.hosts.length,
        logs: this.data.logs.length,
      },
    };
  }
}

/** A `local-intake` bundle backed by `fake` (a new, empty FakeLocalIntake unless given). */
export function fakeLocalIntakeBundle(fake: FakeLocalIntake = new FakeLocalIntake()): Bundle {
  return bundle('local-intake', [provide(LOCAL_INTAKE, { useValue: fake })]);
}
