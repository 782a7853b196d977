import { bundle, provide, type Bundle, type ConfigReader } from '@agentkit/core';
import { statusKeys } from './config-keys.js';
import { HttpStatusServer } from './http-status-server.js';
import { STATUS_SERVER } from './status-server.def.js';

function statusServerOn(config: ConfigReader): boolean {
  return config.get(statusKeys.cmdPort) !== -1;
}

/**
 * `status`: the HTTP status server (STATUS_SERVER) on 127.0.0.1:`cmd_port`, serving every
 * component's telemetry; off when `cmd_port` is -1. It injects only built-ins, so it can be
 * added to any app.
 */
export const statusBundle: Bundle = bundle('status', [provide(STATUS_SERVER, HttpStatusServer)], { enabled: statusServerOn });
