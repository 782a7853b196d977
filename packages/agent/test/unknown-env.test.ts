import { describe, expect, it } from '@jest/globals';
import { loadAgentConfig } from '../src/agent-config.js';
import { runCli } from '../../../test/support/run-cli.js';

// What the Datadog tracers, serverless-init, the Lambda extension and the Agent's other keys
// read from the same environment: with every key of the agent declared, none is a typo of ours.
const OTHER_COMPONENTS = [
  'DD_TRACE_ENABLED',
  'DD_TRACE_AGENT_URL',
  'DD_TRACE_AGENT_PORT',
  'DD_AGENT_HOST',
  'DD_ENV',
  'DD_SERVICE',
  'DD_VERSION',
  'DD_TAGS',
  'DD_RUNTIME_METRICS_ENABLED',
  'DD_LOGS_INJECTION',
  'DD_PROFILING_ENABLED',
  'DD_APPSEC_ENABLED',
  'DD_DOGSTATSD_URL',
  'DD_DOGSTATSD_HOST',
  'DD_DOGSTATSD_PORT',
  'DD_ENTITY_ID',
  'DD_EXTERNAL_ENV',
  'DD_SOURCE',
  'DD_SERVERLESS_LOGS_ENABLED',
  'DD_SERVERLESS_FLUSH_STRATEGY',
  'DD_AZURE_SUBSCRIPTION_ID',
  'DD_AZURE_RESOURCE_GROUP',
  'DD_EXTRA_TAGS',
  'DD_APP_KEY',
  'DD_CMD_HOST',
  'DD_ENHANCED_METRICS',
  'DD_SYMBOL_DATABASE_UPLOAD_ENABLED',
  'DD_INSTRUMENTATION_TELEMETRY_ENABLED',
  'DD_REMOTE_CONFIGURATION_ENABLED',
  'DD_STATSD_METRIC_NAMESPACE',
];

describe('DD_* variables no key reads', () => {
  it('are not reported when they belong to other Datadog components', () => {
    const env = Object.fromEntries(OTHER_COMPONENTS.map((name) => [name, '1']));
    expect(loadAgentConfig(undefined, env).suspiciousEnv()).toEqual([]);
  });

  it('are reported by `agentkit config` once each, after the unknown file keys, naming the key meant', async () => {
    const env = { DD_DOGSTATD_PORT: '9125', DD_API_KY: 'secret-value-0123456789', DD_DOGSTATSD_PORTS: '1', DD_FORWARDER_NUM_WORKERS: '4', DD_TRACE_ENABLED: 'true' };
    const { code, stderr } = await runCli(['config'], env);
    expect(code).toBe(0);
    expect(stderr.split('\n').filter((line) => line.startsWith('warning:'))).toEqual([
      'warning: unknown environment variables (ignored): DD_API_KY (did you mean DD_API_KEY, key api_key?), DD_DOGSTATD_PORT (did you mean DD_DOGSTATSD_PORT, key dogstatsd_port?), DD_DOGSTATSD_PORTS (did you mean DD_DOGSTATSD_PORT, key dogstatsd_port?)',
      'warning: Datadog Agent settings agentkit does not support (ignored; see docs/configuration.md): DD_FORWARDER_NUM_WORKERS (forwarder_num_workers)',
    ]);
    expect(stderr).not.toContain('secret-value');
  });

  it('are reported once by `agentkit exec` before the command runs', async () => {
    const { code, stderr } = await runCli(['exec', '--', process.execPath, '-e', ''], { DD_DOGSTATD_PORT: '9125', DD_LOG_LEVEL: 'off' });
    expect(code).toBe(0);
    expect(stderr.match(/warning: unknown environment variables/g)).toHaveLength(1);
    expect(stderr).toContain('DD_DOGSTATD_PORT (did you mean DD_DOGSTATSD_PORT, key dogstatsd_port?)');
  });
});
