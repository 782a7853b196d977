import { hostname as machineHostname } from 'node:os';
import type { ConfigReader } from '@agentkit/core';
import { commonKeys } from './config-keys.js';

/**
 * The host attached to metrics, events and checks that carry no `host:` tag: the `hostname`
 * key (`DD_HOSTNAME`) when set, else the machine's name, as the Datadog Agent does.
 */
export function resolveHostname(config: ConfigReader): string {
  const configured = config.get(commonKeys.hostname).trim();
  return configured === '' ? machineHostname() : configured;
}
