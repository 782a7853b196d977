import { token } from '@agentkit/core';
import type { Clock } from '@agentkit/forwarder';

/**
 * The host metadata payload (the Agent's "v5" payload), JSON to `/intake/`. Field names and
 * nesting are the Agent's; see `buildHostPayload` for what agentkit fills and what it leaves
 * at the Agent's "unknown" values.
 */
export interface HostPayload {
  /** Always empty: the key travels in the DD-API-KEY header, never in a body. */
  readonly apiKey: string;
  readonly agentVersion: string;
  readonly uuid: string;
  /** The host this agent reports as (`hostname`, else the machine's name). */
  readonly internalHostname: string;
  readonly os: string;
  readonly 'agent-flavor': string;
  readonly python: string;
  readonly systemStats: HostSystemStats;
  readonly meta: HostMeta;
  readonly 'host-tags': { readonly system: readonly string[] };
  readonly network: null;
  readonly logs: { readonly transport: string; readonly auto_multi_line_detection_enabled: boolean };
  readonly 'install-method': { readonly tool: string | null; readonly tool_version: string; readonly installer_version: string | null };
  readonly 'proxy-info': {
    readonly 'no-proxy-nonexact-match': boolean;
    readonly 'proxy-behavior-changed': boolean;
    readonly 'no-proxy-nonexact-match-explicitly-set': boolean;
  };
  readonly otlp: { readonly enabled: boolean };
  readonly fips_mode: boolean;
  readonly fips_proxy_enabled: boolean;
  /** Empty: agentkit collects no gohai inventory (the Agent's value with `enable_gohai: false`). */
  readonly gohai: string;
}

/** `systemStats`: the Agent v5 legacy block (OS versions as three-element lists). */
export interface HostSystemStats {
  readonly cpuCores: number;
  readonly machine: string;
  readonly platform: string;
  readonly pythonV: string;
  readonly processor: string;
  readonly macV: readonly unknown[];
  readonly nixV: readonly unknown[];
  readonly fbsdV: readonly unknown[];
  readonly winV: readonly unknown[];
}

/** `meta`: how the host is named. */
export interface HostMeta {
  readonly 'socket-hostname': string;
  readonly timezones: readonly string[];
  readonly 'socket-fqdn': string;
  readonly 'ec2-hostname': string;
  readonly hostname: string;
  readonly host_aliases: readonly string[];
  readonly 'instance-id': string;
  readonly 'hostname-resolution-version': number;
}

/**
 * Sends the host metadata through the forwarder: at start, then on the Agent's schedule (5,
 * 15, then every 30 minutes). It injects the forwarder, so it starts after it and stops before.
 */
export interface HostMetadata {
  /** The payload as it would be sent now. Callable at any time; never throws. */
  payload(): HostPayload;
  /** Payloads handed to the forwarder so far. */
  readonly sent: number;
}

export const HOST_METADATA = token<HostMetadata>('HostMetadata');

/** The clock the resend schedule runs on (the forwarder's `Clock`): real time unless replaced in a test. */
export const HOST_METADATA_CLOCK = token<Clock>('HostMetadataClock');
