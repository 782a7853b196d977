import { readFileSync, readlinkSync } from 'node:fs';
import os from 'node:os';
import { hostTags, resolveHostname } from '@agentkit/config';
import { AGENTKIT_VERSION, type ConfigReader } from '@agentkit/core';
import type { HostPayload } from './host-metadata.def.js';

/** What the payload says about the machine; read once (`collectHostFacts`), or given in tests. */
export interface HostFacts {
  /** The OS's own name for the machine (`os.hostname()`). */
  readonly osHostname: string;
  /** Go's GOOS: `linux`, `darwin`, `windows`, … */
  readonly os: string;
  /** Go's GOARCH: `amd64`, `arm64`, … */
  readonly machine: string;
  readonly cpuCores: number;
  readonly processor: string;
  /** From /etc/os-release: `ID` and `VERSION_ID` (empty when unknown). */
  readonly platform: string;
  readonly platformVersion: string;
  /** A stable id of this machine (from /etc/machine-id, else derived from its name). */
  readonly uuid: string;
  /** The time zone's abbreviation, as Go's `time.Now().Zone()` names it (`UTC`, `CET`). */
  readonly timezone: string;
}

/** The Agent's name for the Python it embeds when there is none (agentkit runs no checks). */
const NO_PYTHON = 'n/a';
/** What the Agent reports when it finds no install info (agentkit is installed by npm, which leaves none). */
const UNKNOWN_INSTALL = Object.freeze({ tool: null, tool_version: 'undefined', installer_version: null });
const NO_VERSION = Object.freeze(['', '', '']);
const GOOS: Readonly<Record<string, string>> = { win32: 'windows', sunos: 'solaris' };
const GOARCH: Readonly<Record<string, string>> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x' };

/**
 * The host metadata payload for `config` as the Agent builds it (comp/metadata/host): the
 * host's tags (`tags` + `extra_tags` + `env:<env>`, see `hostTags`), its name and agent
 * version, and the legacy v5 blocks the Agent always sends. What the Agent fills from checks,
 * cloud providers, gohai or its logs agent is sent with the value the Agent sends when it
 * has none (`network: null`, `gohai: ""`, empty `host_aliases`…). Pure.
 */
export function buildHostPayload(config: ConfigReader, facts: HostFacts): HostPayload {
  const hostname = resolveHostname(config);
  return {
    apiKey: '',
    agentVersion: AGENTKIT_VERSION,
    uuid: facts.uuid,
    internalHostname: hostname,
    os: facts.os,
    'agent-flavor': 'agentkit',
    python: NO_PYTHON,
    systemStats: {
      cpuCores: facts.cpuCores,
      machine: facts.machine,
      platform: facts.os,
      pythonV: NO_PYTHON,
      processor: facts.processor,
      // The Agent v5 shapes: mac_ver() on macOS, dist() elsewhere, the others empty.
      macV: facts.os === 'darwin' ? [facts.platformVersion, NO_VERSION, facts.machine] : NO_VERSION,
      nixV: facts.os === 'darwin' ? NO_VERSION : [facts.platform, facts.platformVersion, ''],
      fbsdV: NO_VERSION,
      winV: NO_VERSION,
    },
    meta: {
      'socket-hostname': facts.osHostname,
      timezones: [facts.timezone],
      'socket-fqdn': facts.osHostname,
      'ec2-hostname': '',
      hostname,
      host_aliases: [],
      'instance-id': '',
      'hostname-resolution-version': 1,
    },
    'host-tags': { system: hostTags(config) },
    network: null,
    logs: { transport: '', auto_multi_line_detection_enabled: false },
    'install-method': UNKNOWN_INSTALL,
    'proxy-info': { 'no-proxy-nonexact-match': false, 'proxy-behavior-changed': false, 'no-proxy-nonexact-match-explicitly-set': false },
    otlp: { enabled: false },
    fips_mode: false,
    fips_proxy_enabled: false,
    gohai: '',
  };
}

/** Reads the machine's facts once (a few small files; call it at construction, not per send). */
export function collectHostFacts(): HostFacts {
  const osHostname = os.hostname();
  const release = readOsRelease();
  const cpus = os.cpus();
  return {
    osHostname,
    os: GOOS[process.platform] ?? process.platform,
    machine: GOARCH[process.arch] ?? process.arch,
    cpuCores: cpus.length,
    processor: cpus[0]?.model.trim() ?? '',
    platform: release.get('ID') ?? '',
    platformVersion: release.get('VERSION_ID') ?? '',
    uuid: machineUuid(osHostname),
    timezone: timezoneName(),
  };
}

function readOsRelease(): Map<string, string> {
  const out = new Map<string, string>();
  let text: string;
  try {
    text = readFileSync('/etc/os-release', 'utf8');
  } catch {
    return out; // not Linux, or a minimal image: the Agent leaves these empty too
  }
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
  }
  return out;
}

/** /etc/machine-id as a UUID (the Agent uses the host id gopsutil reads); else one derived from the name. */
function machineUuid(osHostname: string): string {
  let id = '';
  try {
    id = readFileSync('/etc/machine-id', 'utf8').trim().toLowerCase();
  } catch {
    // no machine id: fall through
  }
  // node:crypto only here, on this fallback: imported at the top it was loaded (26 modules, ~1.7 ms
  // of CPU) by every `agentkit exec`, which sends no host metadata (docs/benchmarks.md, "Issue 17 §1, the wrapper's whole run").
  if (!/^[0-9a-f]{32}$/.test(id)) id = process.getBuiltinModule('node:crypto').createHash('sha256').update(`agentkit-host:${osHostname}`).digest('hex').slice(0, 32);
  return `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}`;
}

function timezoneName(): string {
  if (isUtcZone(process.env['TZ'])) return 'UTC';
  const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(new Date()).find((p) => p.type === 'timeZoneName');
  return part?.value ?? 'UTC';
}

const UTC_ZONES = new Set(['UTC', 'Etc/UTC', 'UCT', 'Etc/UCT', 'Zulu', 'Etc/Zulu', 'Universal', 'Etc/Universal', 'UTC0']);

/**
 * True when local time is UTC (what most containers run in), told without Intl: its first use
 * loads ICU's time-zone data, ~7 MB of RSS for as long as the agent runs (docs/benchmarks.md,
 * "Start-up: cold start and idle memory"). `TZ` names the zone when set (a leading ':' as the
 * C library allows); else /etc/localtime, a link into the zoneinfo tree, or absent (then the C
 * library, and so V8, use UTC). Anything else (a copied file, another zone) is left to Intl.
 */
export function isUtcZone(tz: string | undefined, localtimeLink: () => string | undefined = readLocaltimeLink): boolean {
  if (tz !== undefined && tz !== '') return UTC_ZONES.has(tz.replace(/^:/, '').replace(/^.*zoneinfo\//, ''));
  const link = localtimeLink();
  if (link === undefined) return false;
  return link === '' || UTC_ZONES.has(link.replace(/^.*zoneinfo\//, ''));
}

/** /etc/localtime's target; '' when it does not exist; undefined when it is not a link (a copy: unknown zone). */
function readLocaltimeLink(): string | undefined {
  try {
    return readlinkSync('/etc/localtime');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? '' : undefined;
  }
}
