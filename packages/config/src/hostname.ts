import { hostname as machineHostname } from 'node:os';
import type { ConfigReader } from '@agentkit/core';
import { commonKeys } from './config-keys.js';

/**
 * The host attached to metrics, events and checks that carry no `host:` tag: the `hostname`
 * key (`DD_HOSTNAME`) when set, else the machine's name, as the Datadog Agent does. Empty in
 * serverless mode (`serverless.enabled`): like the Agent's serverless builds, because every
 * instance of a service would otherwise report as its own short-lived host.
 */
export function resolveHostname(config: ConfigReader): string {
  if (config.get(commonKeys.serverlessEnabled)) return '';
  const configured = config.get(commonKeys.hostname).trim();
  return configured === '' ? machineHostname() : configured;
}
