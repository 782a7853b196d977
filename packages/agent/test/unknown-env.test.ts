import { describe, expect, it } from '@jest/globals';
import { loadAgentConfig } from '../src/agent-config.js';
import { OTHER_COMPONENTS_ENV as OTHER_COMPONENTS } from '../../../test/support/other-components-env.js';
import { runCli } from '../../../test/support/run-cli.js';


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
