import { afterEach, describe, expect, it } from '@jest/globals';
import { createSocket } from 'node:dgram';
import { makeTestCertificate, startTestIntake, startTestProxy, type TestIntake, type TestProxy } from '@agentkit/testing';
import { freeUdpPort } from '@agentkit/core/testing';
import { startAgentProcess, type AgentProcess } from './support/agent-process.js';
import { runCli } from './support/run-cli.js';

const API_KEY = '0123456789abcdef0123456789abcdef';
const PASSWORD = 'e2e-pr0xy-secret';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function httpsIntake(): Promise<TestIntake> {
  const intake = await startTestIntake({ tls: await makeTestCertificate() });
  cleanups.push(() => intake.close());
  return intake;
}

async function connectProxy(): Promise<TestProxy> {
  const proxy = await startTestProxy({ auth: { username: 'agent', password: PASSWORD } });
  cleanups.push(() => proxy.close());
  return proxy;
}

function run(env: Record<string, string>): AgentProcess {
  const agent = startAgentProcess(['run'], env);
  cleanups.push(() => agent.stop('SIGKILL'));
  return agent;
}

async function sendUdp(port: number, line: string): Promise<void> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => socket.send(line, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())));
  socket.close();
}

// The built CLI, as an operator runs it on a host whose only way out is an authenticating proxy.
describe('agentkit run behind a proxy, to an HTTPS intake', () => {
  for (const variable of ['HTTPS_PROXY', 'DD_PROXY_HTTPS'] as const) {
    it(`ships metrics through the CONNECT proxy named by ${variable}, and logs no credentials`, async () => {
      const intake = await httpsIntake();
      const proxy = await connectProxy();
      const udpPort = await freeUdpPort();
      const agent = run({
        DD_API_KEY: API_KEY,
        DD_DD_URL: intake.url,
        [variable]: proxy.url,
        DD_SKIP_SSL_VALIDATION: 'true',
        DD_DOGSTATSD_PORT: String(udpPort),
        DD_CMD_PORT: '0',
        DD_LOG_LEVEL: 'debug',
      });
      await agent.waitForStderr(/forwarder started/);
      await agent.waitForStdout(/udp/);
      await sendUdp(udpPort, 'e2e.proxied.count:5|c|#via:proxy');

      // SIGTERM drains the current bucket to the intake, through the tunnel.
      expect(await agent.stop('SIGTERM')).toBe(0);
      const series = intake.series().filter((s) => s.metric === 'e2e.proxied.count');
      expect(series.reduce((sum, s) => sum + s.points.reduce((p, pt) => p + pt.value * s.interval, 0), 0)).toBeCloseTo(5, 6);
      expect(proxy.requests.some((r) => r.kind === 'connect' && r.target === `127.0.0.1:${intake.port}` && r.status === 200)).toBe(true);
      expect(proxy.requests.every((r) => r.proxyAuthorization === `Basic ${Buffer.from(`agent:${PASSWORD}`).toString('base64')}`)).toBe(true);
      const output = agent.stdout() + agent.stderr();
      expect(output).toContain(`http://agent:********@127.0.0.1:${proxy.port}`);
      expect(output).not.toContain(PASSWORD);
    });
  }

  it('agentkit config shows the proxy with its password masked and names the variable it came from', async () => {
    const result = await runCli(['config', '--json'], { HTTPS_PROXY: `http://agent:${PASSWORD}@proxy.example:3128`, NO_PROXY: 'a.example,b.example' });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain(PASSWORD);
    const rows = JSON.parse(result.stdout) as { key: string; value: unknown; source: string }[];
    expect(rows.find((r) => r.key === 'proxy.https')).toEqual(
      expect.objectContaining({ value: 'http://agent:********@proxy.example:3128', source: 'env HTTPS_PROXY' }),
    );
    expect(rows.find((r) => r.key === 'proxy.no_proxy')?.value).toEqual(['a.example', 'b.example']);
  });
});
