import { CONFIG_OPTION, UsageError, type Command } from '../command.js';
import { taskCommandOf } from '../exec/command-line.js';
import { runExec } from '../exec/exec-runner.js';

export const execCommand: Command = {
  name: 'exec',
  help: `Usage: agentkit exec [--config <file>] [--] <command> [args...]
       agentkit exec [--config <file>]            (sidecar mode)

Wraps a program as Datadog's serverless-init does (Cloud Run services and jobs, Azure
Container Apps, App Service): starts the DogStatsD pipeline, then runs <command> with the
same environment and the same stdin, stdout and stderr (agentkit logs on stderr only).
A single argument is split on whitespace: agentkit exec "node server.js" works.
agentkit's own options come first; the command starts at the first other word, or after --:
agentkit exec node -e 0 and agentkit exec -- node -e 0 are the same.

Every signal agentkit exec can catch is passed on to the program (not SIGCHLD, nor signals
that report a fault of agentkit itself). On SIGTERM or SIGINT it keeps receiving metrics until
the program has exited, so the program's own last metrics count, then flushes and sends
everything. It exits with the program's exit code (128 + the signal's number if a signal
killed it; 127 if the command was not found).

The whole shutdown, from SIGTERM (or the program's exit) to agentkit's exit, fits in
serverless_shutdown_timeout (9.5 s, inside Cloud Run's 10 s): a program still running when only
the flush's own time is left is killed (SIGKILL); if time runs out during the flush, agentkit
logs what was still pending, per stage, and exits with the program's code anyway.

With no command (sidecar mode) it runs until SIGTERM or SIGINT, flushes, and exits 0.
If the pipeline cannot start, the program still runs (the error is logged): a broken agent
never takes the workload down. When DogStatsD and the trace agent listen on ports only (no
Unix socket, no DogStatsD TCP, logs_enabled off), their sockets are bound first and the program
starts while the rest of the pipeline starts: what it sends meanwhile is held, not lost.

With logs_enabled (DD_LOGS_ENABLED=true) the program's stdout and stderr are pipes instead:
agentkit shows every byte on its own stdout and stderr as it comes, unchanged, and sends each
line to the logs intake (https://http-intake.logs.<site>, or logs_config.logs_dd_url), stderr
as status error, stdout as info, a JSON line with its own level; a stack trace is one log.
Everything the program wrote before it exited is sent within serverless_shutdown_timeout.

The platform is detected from its environment (K_SERVICE, CLOUD_RUN_JOB, CONTAINER_APP_NAME,
WEBSITE_STACK) for tags and enhanced metrics. The program gets the UDP port DogStatsD listens
on in DD_DOGSTATSD_PORT (from the file or the environment); dogstatsd_port 0 turns UDP off.
Tracers (dd-trace) reach the trace agent's port, apm_config.receiver_port (8126), as they would
the Datadog Agent's; on another port the program gets it in DD_TRACE_AGENT_PORT, unless
DD_TRACE_AGENT_PORT, DD_TRACE_AGENT_URL or DD_AGENT_HOST is set.

Options:
  -c, --config <file>  YAML configuration file (datadog.yaml style); DD_* variables override it
  -h, --help           Show this help
`,
  options: { ...CONFIG_OPTION },
  commandLineAfterOptions: true,
  async run(args, io) {
    const command = taskCommandOf(args.positionals);
    if (args.positionals.length > 0 && command === undefined) throw new UsageError('the command is empty');
    const result = await runExec({
      command,
      configFile: args.values['config'] as string | undefined,
      env: io.env,
      warn: io.stderr,
    });
    // agentkit exec is the container's main process: once the drain is done (or the budget is
    // spent) nothing may delay its exit or change its code: not a stop hook still running past
    // the budget, a keep-alive socket, nor a signal arriving now. Logs are written synchronously.
    process.exit(result.exitCode);
  },
};
