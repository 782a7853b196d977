import { bundle, provide, type Bundle } from '@agentkit/core';
import { FORWARDER, type Forwarder, type Payload } from './forwarder.def.js';

/** Records every submitted payload, in order. For testing the serializer and stages above it. */
export class FakeForwarder implements Forwarder {
  public readonly payloads: Payload[] = [];
  public stopped = false;
  /** How many times `prepare` was called. */
  public prepareCalls = 0;

  public submit(payload: Payload): void {
    this.payloads.push(payload);
  }

  public prepare(): void {
    this.prepareCalls++;
  }

  public onStop(): void {
    this.stopped = true;
  }

  /** Payloads for one endpoint. */
  public for(endpoint: Payload['endpoint']): Payload[] {
    return this.payloads.filter((p) => p.endpoint === endpoint);
  }
}

/** A `forwarder` bundle backed by `fake` (a new FakeForwarder unless given). */
export function fakeForwarderBundle(fake: FakeForwarder = new FakeForwarder()): Bundle {
  return bundle('forwarder', [provide(FORWARDER, { useValue: fake })]);
}
