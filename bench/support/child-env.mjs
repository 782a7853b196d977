import { freeTcpPort, freeUdpPort } from '../../packages/core/dist/testing/index.js';

// The environment of the processes a bench times: this one's, without what would distort
// or steer the figure. NODE_EXTRA_CA_CERTS costs every Node start ~150 ms on these machines;
// NODE_OPTIONS could preload anything; DD_* variables of the machine would configure the agent.
export function childEnv(extra = {}) {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS;
  delete env.NODE_OPTIONS;
  for (const name of Object.keys(env)) if (name.startsWith('DD_')) delete env[name];
  return { ...env, ...extra };
}

/**
 * {@link childEnv} for `agentkit exec` shipping to `intakeUrl` (a test intake: any API key of
 * the right shape), on a free DogStatsD port and a free trace-agent port, plus `extra`. Runs
 * that follow one another may share it: each binds the ports only while it runs.
 */
export async function execToIntakeEnv(intakeUrl, extra = {}) {
  return childEnv({
    DD_API_KEY: '0123456789abcdef0123456789abcdef',
    DD_DD_URL: intakeUrl,
    DD_DOGSTATSD_PORT: String(await freeUdpPort()),
    DD_APM_RECEIVER_PORT: String(await freeTcpPort()),
    ...extra,
  });
}
