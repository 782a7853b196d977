import { aggregatorBundle } from '@agentkit/aggregator';
import { apmBundle, apmKeys } from '@agentkit/apm';
import { commonKeys } from '@agentkit/config';
import { CONFIG, LOGGER, provide, replaceWith, type Bundle, type ConfigKeyRef, type ConfigReader, type Logger, type Replacement } from '@agentkit/core';
import { DEBUGGER_PROXY, DEBUGGER_PROXY_STOP_TIMEOUT_MS, debuggerBundle, HttpDebuggerProxy } from '@agentkit/debugger';
import { dogstatsdBundle } from '@agentkit/dogstatsd';
import { FORWARDER, FORWARDER_CLOCK, forwarderBundle, forwarderStopHookTimeoutMs, HttpForwarder, type Clock } from '@agentkit/forwarder';
import { LOCAL_INTAKE, LOCAL_INTAKE_API_KEY } from '@agentkit/intake/tokens';
import { hostMetadataBundle } from '@agentkit/metadata';
import { serializerBundle } from '@agentkit/serializer';
import { localIntakeUrl, usesLocalIntake } from './local-intake-destination.js';
import { statusBundle } from './status/status.module.js';

/**
 * The bundles of the default agent, listed in pipeline order; the order they start in comes
 * from their injection edges (forwarder first, listeners and the trace agent's receiver last).
 * With `apm_config.enabled` the receiver on 8126 comes with the debugger proxy it hands the
 * tracers' debugger and symdb uploads to. The host metadata rides on the forwarder too; it
 * switches itself off in serverless mode (`agentkit exec`). With no API key and no `dd_url` it
 * embeds the local intake, and the forwarder and the debugger proxy declare an ordering edge to it
 * (`after: [LOCAL_INTAKE]`): the intake starts before them and stops after their last payload.
 * `local_intake_port` must be a real port then (0 is resolved by the caller, see `agentkit run`).
 *
 * Asynchronous because the local intake's package is imported only when it is embedded: with an
 * API key or `dd_url` (production, and `agentkit exec` there) it is neither read, compiled nor
 * evaluated (in the CLI's bundle it is its own chunk; its token comes from the light
 * `@agentkit/intake/tokens`). The trace agent and its debugger proxy are on by default
 * (`apm_config.enabled`) and are imported with the rest (docs/benchmarks.md, "Lean start").
 */
export async function defaultAgentBundles(config: ConfigReader): Promise<(Bundle | Replacement)[]> {
  const traceAgent = config.get(apmKeys.enabled);
  const bundles: (Bundle | Replacement)[] = [
    ...(traceAgent ? [apmBundle, debuggerBundle] : []),
    dogstatsdBundle,
    aggregatorBundle,
    serializerBundle,
    forwarderBundle,
    hostMetadataBundle,
    statusBundle,
  ];
  if (!usesLocalIntake(config)) return bundles;
  const { localIntakeBundle } = await import('@agentkit/intake');
  return [...bundles, localIntakeBundle, forwarderToLocalIntake(localIntakeUrl(config)), ...(traceAgent ? [debuggerAfterLocalIntake()] : [])];
}

/**
 * The debugger proxy, shipping to the embedded intake: like the forwarder, it talks to it over
 * HTTP, so it declares the order (after the intake at start, before it at stop).
 */
function debuggerAfterLocalIntake(): Replacement {
  return replaceWith(provide(DEBUGGER_PROXY, HttpDebuggerProxy, { stopTimeoutMs: DEBUGGER_PROXY_STOP_TIMEOUT_MS, after: [LOCAL_INTAKE] }));
}

/**
 * The HTTP forwarder, shipping to the embedded intake. It talks to the intake over HTTP, not
 * through an object, so it declares the order instead of injecting it: after the intake at
 * start, before it at stop (its last payload still finds the intake listening).
 */
function forwarderToLocalIntake(url: string): Replacement {
  return replaceWith(
    provide(
      FORWARDER,
      {
        deps: [CONFIG, LOGGER, FORWARDER_CLOCK],
        useFactory: (config: ConfigReader, logger: Logger, clock: Clock) => new HttpForwarder(withLocalDestination(config, url), logger, clock),
      },
      { stopTimeoutMs: forwarderStopHookTimeoutMs, after: [LOCAL_INTAKE] },
    ),
  );
}

/** `config` with `dd_url` and `api_key` pointing at the local intake (which accepts any key). */
function withLocalDestination(config: ConfigReader, url: string): ConfigReader {
  const replaced = new Map<string, unknown>([
    [commonKeys.ddUrl.key, url],
    [commonKeys.apiKey.key, LOCAL_INTAKE_API_KEY],
  ]);
  return {
    get: (key: string | ConfigKeyRef<unknown>) => {
      const name = typeof key === 'string' ? key : key.key;
      if (replaced.has(name)) return replaced.get(name);
      return typeof key === 'string' ? config.get(key) : config.get(key);
    },
  };
}
