import { commonKeys } from '@agentkit/config';
import type { ConfigReader } from '@agentkit/core';

// Apart from default-agent.ts: the configuration and `agentkit exec` ask these before the
// pipeline's packages are loaded (see exec-bundles.ts).

/**
 * True when the agent has nowhere to send but its own local intake: neither `api_key` nor
 * `dd_url` is set. `agentkit run` then embeds the intake and points the forwarder at it.
 */
export function usesLocalIntake(config: ConfigReader): boolean {
  return config.get(commonKeys.apiKey).trim() === '' && config.get(commonKeys.ddUrl).trim() === '';
}

/** The URL of the local intake on this machine, from `local_intake_port`. */
export function localIntakeUrl(config: ConfigReader): string {
  return `http://127.0.0.1:${config.get(commonKeys.localIntakePort)}`;
}
