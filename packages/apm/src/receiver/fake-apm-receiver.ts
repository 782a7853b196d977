import type { ApmReceiver } from './apm-receiver.def.js';

/**
 * A receiver that listens on nothing, for testing components that find the receiver in the
 * app (the exec runner, the status report) without a port. `counters` is what `telemetry()`
 * reports; set it to what the test needs.
 */
export class FakeApmReceiver implements ApmReceiver {
  public readonly listening = false;
  public readonly port = 0;
  public readonly address = '';
  public readonly socketPath = '';
  public readonly url = '';
  public counters: Record<string, number> = {};

  public telemetry(): Record<string, number> {
    return { ...this.counters };
  }
}
