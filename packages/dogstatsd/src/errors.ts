import { AgentkitError } from '@agentkit/core';

/** The stable codes of @agentkit/dogstatsd. Listed in docs/errors.md. */
export const DogstatsdErrorCode = {
  /** A configured listener could not bind or listen; the message names the config key. */
  ListenerStart: 'ERR_DOGSTATSD_LISTENER_START',
  /** `dogstatsd_socket` is set but the optional `unix-dgram` addon is not installed or not built. */
  UnixDgramUnavailable: 'ERR_DOGSTATSD_UNIX_DGRAM_UNAVAILABLE',
  /** A socket path exists and is not a socket, so it is not removed; the message names the key. */
  SocketPathInUse: 'ERR_DOGSTATSD_SOCKET_PATH_IN_USE',
  /** A `dogstatsd_socket` / `dogstatsd_stream_socket` path is longer than the kernel takes (`sun_path`). */
  SocketPathTooLong: 'ERR_DOGSTATSD_SOCKET_PATH_TOO_LONG',
  /** A DogStatsD setting is invalid (a mapper profile, an `dogstatsd_eol_required` value). */
  InvalidConfig: 'ERR_DOGSTATSD_INVALID_CONFIG',
} as const;

export type DogstatsdErrorCode = (typeof DogstatsdErrorCode)[keyof typeof DogstatsdErrorCode];

/** Raised by the DogStatsD components at start; the message names the key that fixes it. */
export class DogstatsdError extends AgentkitError {
  public constructor(code: DogstatsdErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.name = 'DogstatsdError';
  }
}
