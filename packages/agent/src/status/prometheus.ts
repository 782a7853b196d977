import type { TelemetrySnapshot } from '@agentkit/core';

/** The Content-Type of the Prometheus text exposition format this module writes. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Every metric name starts with it. */
export const METRIC_PREFIX = 'agentkit';

/** The label of a group no rule below names. */
export const DEFAULT_GROUP_LABEL = 'key';

/**
 * The label a counter group gets, by the group's name (the part of the counter before the
 * first dot). A Map, not an object: a group named `constructor` must not find a prototype member.
 */
const GROUP_LABELS: ReadonlyMap<string, string> = new Map([
  ['dropped', 'reason'],
  ['skipped', 'reason'],
  ['parse_errors', 'kind'],
  ['disabled', 'kind'],
]);

/** What `formatPrometheus` adds besides the components' counters. */
export interface PrometheusProcessInfo {
  readonly version: string;
  readonly uptimeSeconds: number;
}

/**
 * The label name for a counter group:
 * - `dropped.<reason>`, `skipped.<reason>` → `reason`;
 * - `parse_errors.<kind>`, `disabled.<kind>` → `kind`;
 * - `payloads.<endpoint>` and `payloads_<what>.<endpoint>` (`payloads_sent`, `payloads_failed`) → `endpoint`;
 * - any other group (`queue.high`, `bytes.sent`) → `key`.
 */
export function labelNameForGroup(group: string): string {
  const named = GROUP_LABELS.get(group);
  if (named !== undefined) return named;
  return group === 'payloads' || group.startsWith('payloads_') ? 'endpoint' : DEFAULT_GROUP_LABEL;
}

/**
 * `UdpListener` → `udp_listener`, `HTTPServer` → `http_server`, `queue-depth` → `queue_depth`:
 * lower snake case, every character outside `[a-z0-9_]` replaced by `_`.
 */
export function toSnakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
}

/** A label value as the text format wants it: `\`, `"` and line feeds escaped. */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}

/** A sample value: Go's float syntax, with `NaN`, `+Inf` and `-Inf`. */
export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/**
 * Every component's telemetry in the Prometheus text exposition format 0.0.4. Component `C`'s
 * counter `a` becomes `agentkit_<snake(C)>_<snake(a)>`; a dotted counter `a.b` becomes
 * `agentkit_<snake(C)>_<snake(a)>{<label>="b"}`, the label named by {@link labelNameForGroup}.
 * Each family gets one `# TYPE` line: `counter` when its name ends in `_total`, else `gauge`
 * (snapshots mix counters and gauges without saying which, and gauge is the type that never
 * lies). Also written: `agentkit_up 1`, `agentkit_uptime_seconds` and
 * `agentkit_build_info{version="…"} 1`. Values that are not numbers are left out, and so is
 * a series already written (two component names with one snake case): the first one wins.
 */
export function formatPrometheus(components: Readonly<Record<string, TelemetrySnapshot>>, info: PrometheusProcessInfo): string {
  // Family name → its sample lines: the format wants a family's samples together.
  const families = new Map<string, string[]>();
  const seen = new Set<string>();
  const add = (name: string, labels: string, value: number): void => {
    const series = `${name}${labels}`;
    if (seen.has(series)) return;
    seen.add(series);
    let lines = families.get(name);
    if (lines === undefined) {
      lines = [];
      families.set(name, lines);
    }
    lines.push(`${series} ${formatSampleValue(value)}`);
  };
  add(`${METRIC_PREFIX}_up`, '', 1);
  add(`${METRIC_PREFIX}_uptime_seconds`, '', info.uptimeSeconds);
  add(`${METRIC_PREFIX}_build_info`, `{version="${escapeLabelValue(info.version)}"}`, 1);
  for (const [component, snapshot] of Object.entries(components)) {
    const prefix = `${METRIC_PREFIX}_${toSnakeCase(component)}_`;
    for (const [key, value] of Object.entries(snapshot)) {
      if (typeof value !== 'number') continue;
      const dot = key.indexOf('.');
      const group = toSnakeCase(dot === -1 ? key : key.slice(0, dot));
      const labels = dot === -1 ? '' : `{${labelNameForGroup(group)}="${escapeLabelValue(key.slice(dot + 1))}"}`;
      add(prefix + group, labels, value);
    }
  }
  let out = '';
  for (const [name, lines] of families) {
    out += `# TYPE ${name} ${name.endsWith('_total') ? 'counter' : 'gauge'}\n${lines.join('\n')}\n`;
  }
  return out;
}
