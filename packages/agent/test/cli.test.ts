import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../test/support/run-cli.js';

const API_KEY = '0123456789abcdef0123456789abcdef';

function yamlFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'agentkit-cli-'));
  const path = join(dir, 'agentkit.yaml');
  writeFileSync(path, text);
  return path;
}

describe('agentkit (the linked bin)', () => {
  it('prints usage with every command for --help and no arguments', async () => {
    for (const args of [['--help'], []]) {
      const { code, stdout } = await runCli(args);
      expect(code).toBe(0);
      expect(stdout).toContain('Usage: agentkit <command> [options]');
      for (const name of ['config', 'graph', 'version']) expect(stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
  });

  it.each(['config', 'graph', 'version'])('prints help for "%s --help"', async (name) => {
    const { code, stdout } = await runCli([name, '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: agentkit ${name}`);
  });

  it('exits 2 with usage for an unknown command or flag', async () => {
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const flag = await runCli(['graph', '--nope']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("Run 'agentkit graph --help' for usage.");
  });

  it('prints the version', async () => {
    const { code, stdout } = await runCli(['version']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^agentkit \d+\.\d+\.\d+ \(node v\d+/);
  });
});

describe('agentkit config', () => {
  it('shows each value with its source, env over file over default, and masks the API key', async () => {
    const file = yamlFile('site: datadoghq.eu\nlog_level: debug\nmystery_key: 1\n');
    const { code, stdout, stderr } = await runCli(['config', '--config', file], { DD_API_KEY: API_KEY, DD_LOG_LEVEL: 'warn' });
    expect(code).toBe(0);
    const row = (key: string) => stdout.split('\n').find((l) => l.startsWith(`${key} `))?.split(/\s{2,}/);
    expect(row('site')).toEqual(['site', 'datadoghq.eu', `file ${file}`]);
    expect(row('log_level')).toEqual(['log_level', 'warn', 'env DD_LOG_LEVEL']);
    expect(row('dd_url')).toEqual(['dd_url', '""', 'default']);
    expect(row('api_key')?.[1]).toBe('***************************bcdef');
    expect(stdout).not.toContain(API_KEY);
    expect(stderr).toContain('unknown configuration keys (ignored): mystery_key');
  });

  it('shortens long values in the table and says so, keeping them whole in --json', async () => {
    const { stdout } = await runCli(['config']);
    const lines = stdout.split('\n');
    const row = lines.find((l) => l.startsWith('statsd_metric_namespace_blacklist '))?.split(/\s{2,}/);
    expect(row?.[1]).toMatch(/^\["datadog\.agent",.*…$/);
    expect(row?.[1]).toHaveLength(60);
    expect(stdout).toContain('agentkit config --json shows them whole');
    const json = JSON.parse((await runCli(['config', '--json'])).stdout) as { key: string; value: unknown }[];
    expect((json.find((r) => r.key === 'statsd_metric_namespace_blacklist')?.value as string[]).length).toBeGreaterThan(10);
  });

  it('prints JSON with --json', async () => {
    const { code, stdout } = await runCli(['config', '--json'], { DD_SITE: 'us5.datadoghq.com' });
    expect(code).toBe(0);
    const rows = JSON.parse(stdout) as { key: string; value: unknown; source: string; env: string }[];
    expect(rows.find((r) => r.key === 'site')).toEqual({ key: 'site', value: 'us5.datadoghq.com', source: 'env DD_SITE', env: 'DD_SITE' });
  });

  it('fails with exit 1 naming the key, the source and what is expected for an invalid value', async () => {
    const { code, stderr } = await runCli(['config'], { DD_LOG_LEVEL: 'loud' });
    expect(code).toBe(1);
    expect(stderr).toContain('log_level');
    expect(stderr).toContain('DD_LOG_LEVEL');
    expect(stderr).toContain('ERR_CONFIG_INVALID_VALUE');
  });

  it('fails with exit 1 for a missing config file', async () => {
    const { code, stderr } = await runCli(['config', '--config', '/nonexistent/agentkit.yaml']);
    expect(code).toBe(1);
    expect(stderr).toContain('/nonexistent/agentkit.yaml');
  });
});

describe('agentkit graph', () => {
  it.each([
    ['text', 'start order (stop runs in reverse)'],
    ['dot', 'digraph agentkit {'],
    ['mermaid', 'flowchart RL'],
    ['json', '"startOrder"'],
  ])('prints the default agent graph as %s', async (format, marker) => {
    const { code, stdout } = await runCli(['graph', '--format', format]);
    expect(code).toBe(0);
    expect(stdout).toContain(marker);
  });

  /** `A → B` for "A injects B", `A after B` for an ordering edge: one line per edge, in graph order. */
  async function defaultGraph(env: Record<string, string> = {}): Promise<{ startOrder: string[]; edges: string[] }> {
    const { code, stdout, stderr } = await runCli(['graph', '--format', 'json'], env);
    expect([code, stderr]).toEqual([0, '']);
    const graph = JSON.parse(stdout) as { startOrder: string[]; edges: { from: string; to: string; kind: string }[] };
    return { startOrder: graph.startOrder, edges: graph.edges.map((e) => `${e.from} ${e.kind === 'after' ? 'after' : '→'} ${e.to}`) };
  }

  // The built-ins (Config, Logger) every component injects, left out so the pipeline edges read plainly.
  const pipelineEdges = (edges: string[]): string[] => edges.filter((e) => !/ → (Config|Logger)$/.test(e));

  // A change in the default agent's composition (a bundle, a component, an edge) fails these two.
  it('json: the default agent with the local intake starts it before the forwarder, by an ordering edge', async () => {
    const { startOrder, edges } = await defaultGraph();
    // The listeners are the app's ready point (`ready: true`): they and what they feed start
    // first, with the trace agent's receiver (ready too); the status server and host metadata after them.
    expect(startOrder).toEqual([
      'Config', 'Logger', 'Telemetry', 'PacketForwarder', 'ForwarderClock',
      'LocalIntake', 'DebuggerProxy', 'Forwarder', 'Serializer', 'Demultiplexer', 'DogstatsdServer', 'ApmReceiver',
      'UdpListener', 'UdsDatagramListener', 'UdsStreamListener', 'TcpListener',
      'HostMetadataClock', 'StatusServer', 'HostMetadata',
    ]);
    expect(pipelineEdges(edges)).toEqual([
      'LocalIntake → Telemetry',
      'DebuggerProxy after LocalIntake',
      'Forwarder → ForwarderClock',
      'Forwarder after LocalIntake',
      'Serializer → Forwarder',
      'Demultiplexer → Serializer',
      'DogstatsdServer → Demultiplexer',
      'DogstatsdServer → PacketForwarder',
      'ApmReceiver → DogstatsdServer',
      'ApmReceiver → DebuggerProxy',
      'UdpListener → DogstatsdServer',
      'UdsDatagramListener → DogstatsdServer',
      'UdsStreamListener → DogstatsdServer',
      'TcpListener → DogstatsdServer',
      'StatusServer → Telemetry',
      'HostMetadata → Forwarder',
      'HostMetadata → HostMetadataClock',
    ]);
    // Every component but the built-ins and the clocks reads the config and logs.
    const readsConfig = edges.filter((e) => e.endsWith(' → Config')).map((e) => e.split(' ')[0]);
    expect(readsConfig).toEqual(edges.filter((e) => e.endsWith(' → Logger')).map((e) => e.split(' ')[0]));
    expect(readsConfig).toEqual(startOrder.filter((n) => !['Config', 'Logger', 'Telemetry', 'ForwarderClock', 'HostMetadataClock'].includes(n)));
  });

  it('json: with an API key there is no local intake and no ordering edge', async () => {
    const { startOrder, edges } = await defaultGraph({ DD_API_KEY: API_KEY });
    expect(startOrder).not.toContain('LocalIntake');
    expect(startOrder.indexOf('Forwarder')).toBeLessThan(startOrder.indexOf('Serializer'));
    expect(edges.filter((e) => e.includes(' after '))).toEqual([]);
    expect(pipelineEdges(edges)).toContain('Serializer → Forwarder');
  });

  it('marks the ordering edge in text, dot and mermaid', async () => {
    const text = await runCli(['graph']);
    expect(text.stdout).toMatch(/^ +\d+\. Forwarder +\[forwarder\] {2}← Config, Logger, ForwarderClock {2}after LocalIntake$/m);
    const dot = await runCli(['graph', '-f', 'dot']);
    expect(dot.stdout).toContain('"Forwarder" -> "LocalIntake" [style=dashed, label="after"];');
    const mermaid = await runCli(['graph', '-f', 'mermaid']);
    expect(mermaid.stdout).toMatch(/ -\. after \.-> /);
  });

  it('rejects an unknown format with exit 2', async () => {
    const { code, stderr } = await runCli(['graph', '-f', 'png']);
    expect(code).toBe(2);
    expect(stderr).toContain('--format must be one of text, dot, mermaid, json');
  });
});
