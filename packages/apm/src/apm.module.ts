import { CONFIG, bundle, LOGGER, provide, type Bundle, type ConfigReader, type Logger } from '@agentkit/core';
import { DEBUGGER_PROXY, type DebuggerProxy } from '@agentkit/debugger';
import { DOGSTATSD_SERVER, type DogstatsdServer } from '@agentkit/dogstatsd';
import { apmKeys } from './config-keys.js';
import { APM_RECEIVER } from './receiver/apm-receiver.def.js';
import { HttpApmReceiver } from './receiver/http-apm-receiver.js';
import { PREBOUND_APM_SERVER, type PreboundApmServer } from './receiver/prebound-tcp.js';

/**
 * The trace agent's receiver (`APM_RECEIVER`), enabled by `apm_config.enabled` (default true,
 * as in the Agent). It injects the DogStatsD server and the debugger proxy, both optional: with
 * `use_dogstatsd` off, `/dogstatsd/v2/proxy` answers 503 as the Agent's does; with no debugger
 * proxy in the app, the debugger routes answer 404. Injecting the server orders the stop: the
 * receiver stops before the server, so lines posted during a tracer's shutdown are drained.
 */
export const apmBundle: Bundle = bundle(
  'apm',
  [
    provide(
      APM_RECEIVER,
      {
        deps: [CONFIG, LOGGER, { token: DOGSTATSD_SERVER, optional: true }, { token: DEBUGGER_PROXY, optional: true }, { token: PREBOUND_APM_SERVER, optional: true }],
        useFactory: (config: ConfigReader, logger: Logger, server: DogstatsdServer | undefined, proxy: DebuggerProxy | undefined, prebound: PreboundApmServer | undefined) =>
          new HttpApmReceiver(config, logger, server, proxy, prebound),
      },
      // Part of the ready point: `agentkit exec` starts the program once the receiver listens, so
      // a tracer's first request (its /info, its first flush) never meets a closed port, and the
      // program's DD_TRACE_AGENT_PORT is the port the receiver actually took.
      { ready: true },
    ),
  ],
  { enabled: (config) => config.get(apmKeys.enabled) },
);
