import type { AnyConfigKey } from './config-key.js';
import { envNames } from './config-key.js';
import type { UnsupportedAgentKey } from './unsupported-keys.js';

/**
 * A `DD_*` variable that `loadConfig` does not read but that the user probably meant for it:
 * - `misspelt`: close to one of our env vars (`DD_DOGSTATD_PORT` → `DD_DOGSTATSD_PORT`);
 * - `unsupported`: a Datadog Agent setting agentkit does not support (`unsupportedAgentKeys`).
 */
export type SuspiciousEnv =
  | { readonly kind: 'misspelt'; readonly variable: string; readonly env: string; readonly key: string }
  | { readonly kind: 'unsupported'; readonly variable: string; readonly key: string };

/**
 * `DD_*` variables read by other Datadog components (tracers, serverless-init, the Lambda
 * extension, the Agent's other keys) that are a small edit away from one of ours, so the
 * closeness test alone would take them for typos. Variables far from all of ours need no
 * entry: the test ignores them anyway.
 */
const OTHER_DATADOG_ENV: ReadonlySet<string> = new Set([
  'DD_APP_KEY', // the Agent's app_key, and every API client's (one letter from DD_API_KEY)
  'DD_CMD_HOST', // the Agent's cmd_host (two from DD_CMD_PORT)
  'DD_DOGSTATSD_HOST', // tracers' DogStatsD address (two from DD_DOGSTATSD_PORT)
  'DD_DOGSTATSD_URL',
  'DD_AGENT_HOST',
  'DD_ENTITY_ID',
  'DD_EXTERNAL_ENV',
  'DD_SOURCE',
  'DD_ENHANCED_METRICS',
  'DD_EXTRA_TAGS',
  'DD_LOGS_INJECTION',
  'DD_RUNTIME_METRICS_ENABLED',
  'DD_TAGS_ENABLED',
  'DD_SITE_URL',
  'DD_API_KEY_SECRET_ARN',
  'DD_KMS_API_KEY',
]);

/** Products with no key of ours: nothing under these prefixes is one of our names misspelt. */
const OTHER_DATADOG_PREFIXES: readonly string[] = [
  'DD_TRACE_',
  'DD_PROFILING_',
  'DD_APPSEC_',
  'DD_IAST_',
  'DD_DBM_',
  'DD_APM_',
  'DD_AZURE_',
  'DD_AWS_',
  'DD_LAMBDA_',
  'DD_INSTRUMENTATION_',
  'DD_REMOTE_CONFIG',
  'DD_CIVISIBILITY_',
  'DD_LOGS_CONFIG_',
  'DD_DYNAMIC_INSTRUMENTATION_',
  'DD_EXCEPTION_REPLAY_',
  'DD_DATA_STREAMS_',
  'DD_SERVICE_MAPPING',
];

const DD_PREFIX = /^dd_/i;

/**
 * The `DD_*` variables in `env` (non-empty: empty ones are unset) that no key reads and that
 * look meant for one: an unsupported Agent key's variable, or a name within a small edit
 * (case ignored, a swap of two letters counting as one edit) of one of ours — at most 1 for
 * names of 5 characters or fewer after `DD_`, at most 2 otherwise — and not a variable of
 * another Datadog component. Sorted by variable name, so the warning is stable.
 */
export function findSuspiciousEnv(
  env: Readonly<Record<string, string | undefined>>,
  keys: readonly AnyConfigKey[],
  unsupported: readonly UnsupportedAgentKey[],
): readonly SuspiciousEnv[] {
  const ours = new Map<string, AnyConfigKey>();
  for (const key of keys) for (const name of envNames(key)) if (!ours.has(name)) ours.set(name, key);
  const unsupportedByEnv = new Map(unsupported.flatMap((entry) => entry.env.map((name) => [name, entry] as const)));
  const found: SuspiciousEnv[] = [];
  for (const [variable, value] of Object.entries(env)) {
    if (value === undefined || value === '' || !DD_PREFIX.test(variable) || ours.has(variable)) continue;
    const upper = variable.toUpperCase();
    const agentKey = unsupportedByEnv.get(upper);
    if (agentKey !== undefined) {
      found.push({ kind: 'unsupported', variable, key: agentKey.key });
      continue;
    }
    if (OTHER_DATADOG_ENV.has(upper) || OTHER_DATADOG_PREFIXES.some((prefix) => upper.startsWith(prefix))) continue;
    const match = closest(upper, ours);
    if (match !== undefined) found.push({ kind: 'misspelt', variable, env: match[0], key: match[1].key });
  }
  return found.sort((a, b) => (a.variable < b.variable ? -1 : a.variable > b.variable ? 1 : 0));
}

/** Our closest env var within the allowed distance; the first declared wins a tie. */
function closest(upper: string, ours: ReadonlyMap<string, AnyConfigKey>): readonly [string, AnyConfigKey] | undefined {
  const name = upper.slice(3);
  const allowed = name.length <= 5 ? 1 : 2;
  let best: readonly [string, AnyConfigKey] | undefined;
  let bestDistance = allowed + 1;
  for (const entry of ours) {
    const distance = editDistance(name, entry[0].slice(3), bestDistance);
    if (distance < bestDistance) {
      best = entry;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Optimal-string-alignment distance (insert, delete, substitute, swap two neighbours), giving up
 * with `limit` as soon as it cannot be below it: start-up compares every DD_* variable with
 * every key of ours, and nearly all pairs differ by their length alone.
 */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, (beforePrevious[j - 2] ?? 0) + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin >= limit) return limit;
    beforePrevious = previous;
    previous = current;
  }
  return Math.min(previous[b.length] ?? limit, limit);
}
