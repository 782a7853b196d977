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
