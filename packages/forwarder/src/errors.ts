import { AgentkitError } from '@agentkit/core';

/** The stable codes of @agentkit/forwarder. Match on these, never on message text. */
export const ForwarderErrorCode = {
  /** `dd_url`, `site` or an `additional_endpoints` entry does not give a usable http(s) URL and API keys. */
  InvalidEndpoint: 'ERR_FORWARDER_INVALID_ENDPOINT',
  /** `proxy.http` / `proxy.https` (or the variable it came from) is not a usable proxy URL. */
  InvalidProxy: 'ERR_FORWARDER_INVALID_PROXY',
  /** The HTTP client could not be made; nothing can be sent. */
  TransportUnavailable: 'ERR_FORWARDER_TRANSPORT_UNAVAILABLE',
} as const;

export type ForwarderErrorCode = (typeof ForwarderErrorCode)[keyof typeof ForwarderErrorCode];

/** Every error @agentkit/forwarder raises; the message names the config key that fixes it. */
export class ForwarderError extends AgentkitError {
  public constructor(code: ForwarderErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'ForwarderError';
  }
}
