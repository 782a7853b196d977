import { FLUSH_HEAP_SCOPE } from '@agentkit/aggregator';
import { APM_RECEIVER } from '@agentkit/apm';
import { commonKeys, type Config } from '@agentkit/config';
import { bundle, createApp, provide, type App } from '@agentkit/core';
import { formatHostPort, UDP_LISTENER, UDS_DATAGRAM_LISTENER, UDS_STREAM_LISTENER, TCP_LISTENER } from '@agentkit/dogstatsd';
import { LOCAL_INTAKE } from '@agentkit/intake/tokens';
import { loggerFromConfig } from '@agentkit/log';
import { loadAgentConfig, withConcreteIntakePort } from '../agent-config.js';
import { applyAgentV8Flags, holdYoungGeneration, MEMORY_REDUCER_WINDOW_MS, releaseStartFootprint, START_HOLD_AFTER_READY_MS } from '../agent-v8-flags.js';
import { CONFIG_OPTION, UsageError, type Command } from '../command.js';
import { defaultAgentBundles } from '../default-agent.js';
import { agentKeys } from '../config-keys.js';
import { startYoungGenerationShrink, type YoungGenerationShrink } from '../young-generation-shrink.js';
import { STATUS_SERVER } from '../status/status-server.def.js';
import { warnUnknown } from './config-command.js';

export const runCommand: Command = {
  name: 'run',
  help: `Usage: agentkit run [--config <file>]

Runs the DogStatsD agent: listens for metrics, events and service checks (UDP on
bind_host:dogstatsd_port, localhost:8125, off at 0; Unix sockets when dogstatsd_socket /
dogstatsd_stream_socket are set), and takes tracers' requests on the trace agent port
(apm_config.receiver_port, 8126: /info, /dogstatsd/v2/proxy; traces are counted, not forwarded),
aggregates them and ships them to Datadog (api_key, site or dd_url).
With neither api_key nor dd_url it embeds the local intake on 127.0.0.1:local_intake_port
(8127): open its page in a browser to see what the agent sends.
Pipeline counters are served on 127.0.0.1:cmd_port (5001): see 'agentkit status'.
It collects no logs: logs_enabled (DD_LOGS_ENABLED) takes the output of a program that
'agentkit exec' runs, and 'agentkit run' runs none.

SIGTERM or SIGINT (Ctrl-C) stops it gracefully: everything received is flushed and sent
first. A second signal exits at once (the same one again within a second is taken
as an echo of the first: under \`npm start\`, npm forwards the Ctrl-C the terminal sent).

Options:
  -c, --config <file>  YAML configuration file (datadog.yaml style); DD_* variables override it
  -h, --help           Show this help
`,
  options: { ...CONFIG_OPTION },
  async run(args, io) {
    if (args.positionals.length > 0) throw new UsageError(`unexpected arguments: ${args.positionals.join(' ')}`);
    const loaded = loadAgentConfig(args.values['config'] as string | undefined, io.env);
    warnUnknown(loaded, io.stderr);
    const config = await withConcreteIntakePort(loaded);
    applyAgentV8Flags(config);
    // With heap_tuning_enabled: each flush holds V8's young generation at its size
    // (flushHeapBundle), and from the end of the start-up hold it goes back to its small size
    // whenever the agent goes quiet after traffic (startYoungGenerationShrink).
    const tuned = config.get(agentKeys.heapTuning);
    let shrink: YoungGenerationShrink | undefined;
    let ended = false;
    try {
      const bundles = [...(await defaultAgentBundles(config)), ...(tuned ? [flushHeapBundle] : [])];
      const app = createApp(bundles, { config, logger: loggerFromConfig(config) });
      return await app.run({
        onStarted: (started) => {
          io.stdout(banner(started, config));
          // The start-up hold the CLI took (holdStartFootprint) ends once the start's background
          // work is done, and V8's memory reducer gives back what only the start needed.
          setTimeout(() => {
            releaseStartFootprint({ reduce: true });
            // The shrink starts once the memory reducer's window is over: its looks at the new
            // space would take the start's own growth, which the reducer gives back, for a burst's.
            const startShrink = (): void => {
              if (tuned && !ended) shrink = startYoungGenerationShrink();
            };
            setTimeout(startShrink, MEMORY_REDUCER_WINDOW_MS).unref();
          }, START_HOLD_AFTER_READY_MS).unref();
        },
      });
    } finally {
      ended = true;
      shrink?.stop();
      releaseStartFootprint();
    }
  },
};

/**
 * With `heap_tuning_enabled`: V8's young generation is held at its size while a flush is encoded
 * (a `holdYoungGeneration` hold from the flush's start until its payloads are handed to the
 * forwarder), so a flush does not grow it (docs/benchmarks.md, "Issue 14 §3, the young generation
 * after a burst and during a flush"). `run` only: exec's flushes are left as they were.
 */
const flushHeapBundle = bundle('flush-heap', [provide(FLUSH_HEAP_SCOPE, { useValue: { enter: holdYoungGeneration } })]);

/** Where the running agent listens and where its data goes, for the person who started it. */
export function banner(app: App, config: Config): string {
  const lines = [`agentkit is running (pid ${process.pid})`];
  for (const where of listeningOn(app)) lines.push(`  DogStatsD   ${where}`);
  const apm = app.find(APM_RECEIVER);
  for (const where of [apm?.url ?? '', apm?.socketPath === undefined || apm.socketPath === '' ? '' : `unix://${apm.socketPath}`]) {
    if (where !== '') lines.push(`  Tracers    ${where}  (trace agent port: /dogstatsd/v2/proxy; traces counted, not forwarded)`);
  }
  const intake = app.find(LOCAL_INTAKE);
  if (intake !== undefined) lines.push(`  Local intake ${intake.url}/  (open it in a browser; no api_key or dd_url is set)`);
  else lines.push(`  Sending to  ${config.get(commonKeys.ddUrl) || `https://app.${config.get(commonKeys.site)}`}`);
  const status = app.find(STATUS_SERVER);
  if (status !== undefined) lines.push(`  Status     ${status.url}/status  (agentkit status)`);
  lines.push('Stop with Ctrl-C or SIGTERM: what was received is flushed and sent first.');
  return `${lines.join('\n')}\n`;
}

function listeningOn(app: App): string[] {
  const out: string[] = [];
  const udp = app.find(UDP_LISTENER);
  if (udp?.listening === true) out.push(`udp://${formatHostPort(udp.address, udp.port)}`);
  const tcp = app.find(TCP_LISTENER);
  if (tcp?.listening === true) out.push(`tcp://${formatHostPort(tcp.address, tcp.port)}`);
  const dgram = app.find(UDS_DATAGRAM_LISTENER);
  if (dgram?.listening === true) out.push(`unix datagram ${dgram.path}`);
  const stream = app.find(UDS_STREAM_LISTENER);
  if (stream?.listening === true) out.push(`unix stream ${stream.path}`);
  if (out.length === 0) out.push('not listening (use_dogstatsd is false, or every listener is off)');
  return out;
}

