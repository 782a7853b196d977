import { bundle, provide, type Bundle } from '@agentkit/core';
import type { HostMetadata, HostPayload } from './host-metadata.def.js';
import { HOST_METADATA } from './host-metadata.def.js';

/** A HostMetadata that sends nothing and returns the payload it was given, for testing its neighbours. */
export class FakeHostMetadata implements HostMetadata {
  public sent = 0;
  public started = false;
  public stopped = false;
  readonly #payload: HostPayload;

  public constructor(payload: HostPayload) {
    this.#payload = payload;
  }

  public payload(): HostPayload {
    return this.#payload;
  }

  public onStart(): void {
    this.started = true;
  }

  public onStop(): void {
    this.stopped = true;
  }
}

/** A `host-metadata` bundle with `fake` as HOST_METADATA: nothing reaches the forwarder. */
export function fakeHostMetadataBundle(fake: HostMetadata): Bundle {
  return bundle('host-metadata', [provide(HOST_METADATA, { useValue: fake })]);
}
