import { bundle, provide, type Bundle } from '@agentkit/core';
import { STATUS_SERVER, type StatusServer } from './status-server.def.js';

/**
 * A status server that listens nowhere: for apps under test that need STATUS_SERVER (e.g. to
 * print its URL) without a port. `url` and `port` are what it was given.
 */
export class FakeStatusServer implements StatusServer {
  public readonly url: string;
  public readonly port: number;
  public started = false;
  public stopped = false;

  public constructor(port = 5001) {
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
  }

  public onStart(): void {
    this.started = true;
  }

  public onStop(): void {
    this.stopped = true;
  }
}

/** A `status` bundle backed by `fake` (a new FakeStatusServer unless given). */
export function fakeStatusBundle(fake: FakeStatusServer = new FakeStatusServer()): Bundle {
  return bundle('status', [provide(STATUS_SERVER, { useValue: fake })]);
}
