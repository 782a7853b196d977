import { get } from 'node:http';
import { loadConfig } from '@agentkit/config';
import { CONFIG_OPTION, UsageError, type Command, type CommandIO } from '../command.js';
import { statusConfigKeys, statusKeys } from '../status/config-keys.js';
import { STATUS_HOST } from '../status/http-status-server.js';
import { asStatusDocument, formatStatusReport } from '../status/status-report.js';

/** How long the agent has to answer: it answers from memory, so a slow answer means no agent. */
export const STATUS_REQUEST_TIMEOUT_MS = 2000;

export const statusCommand: Command = {
  name: 'status',
  help: `Usage: agentkit status [--config <file>] [--port <n>] [--json]

Asks the running agent for its pipeline counters (GET http://127.0.0.1:<cmd_port>/status) and
prints them per component: packets and lines received, metrics parsed, parse errors, contexts,
queue depths, payloads sent, failed and dropped. Non-zero drop counters are marked with "!".
The same counters are served in the Prometheus text format at /telemetry.

Options:
  -c, --config <file>  YAML configuration file, for cmd_port (default 5001, env DD_CMD_PORT)
  -p, --port <n>       The agent's cmd_port (overrides the configuration)
      --json           Print the agent's JSON answer as it is
  -h, --help           Show this help

Exit status: 0 when the agent answered, 1 when nothing answers.
`,
  options: { ...CONFIG_OPTION, port: { type: 'string', short: 'p' }, json: { type: 'boolean' } },
  async run(args, io) {
    const port = statusPort(args.values['port'] as string | undefined, args.values['config'] as string | undefined, io);
    if (port === undefined) return 1;
    const answer = await getStatus(port, STATUS_REQUEST_TIMEOUT_MS);
    const where = `${STATUS_HOST}:${port}`;
    if (answer.kind === 'unreachable') {
      io.stderr(`agentkit status: no agent answers on ${where} (cmd_port). Start one with 'agentkit run', or set --port / DD_CMD_PORT.\n`);
      return 1;
    }
    const doc = answer.status === 200 ? asStatusDocument(parseJson(answer.body)) : undefined;
    if (doc === undefined) {
      io.stderr(`agentkit status: ${where} answered (HTTP ${answer.status}) but not as an agentkit status server: is another program on cmd_port? Set --port / DD_CMD_PORT.\n`);
      return 1;
    }
    io.stdout(args.values['json'] === true ? (answer.body.endsWith('\n') ? answer.body : `${answer.body}\n`) : formatStatusReport(doc, where));
    return 0;
  },
};

/** The port from --port, else cmd_port; undefined (after saying why on stderr) when no port can be asked. */
function statusPort(flag: string | undefined, file: string | undefined, io: CommandIO): number | undefined {
  if (flag !== undefined) {
    const port = Number(flag);
    if (!/^\d+$/.test(flag) || port < 1 || port > 65535) throw new UsageError(`--port must be a port number from 1 to 65535 (got "${flag}")`);
    return port;
  }
  // Only cmd_port is read: a bad value of another key must not stop `status` from asking.
  const port = loadConfig({ keys: statusConfigKeys, env: io.env, ...(file === undefined ? {} : { file }) }).get(statusKeys.cmdPort);
  if (port === -1) {
    io.stderr(`agentkit status: the status server is off (cmd_port = -1); set cmd_port (DD_CMD_PORT) for the agent, or pass --port.\n`);
    return undefined;
  }
  if (port === 0) {
    io.stderr(`agentkit status: cmd_port is 0, so the agent listens on a port it picked (it logs it at start); pass it with --port.\n`);
    return undefined;
  }
  return port;
}

type StatusAnswer = { readonly kind: 'answer'; readonly status: number; readonly body: string } | { readonly kind: 'unreachable' };

/** GET /status; never rejects: a refused connection, a reset or the timeout is `unreachable`. */
function getStatus(port: number, timeoutMs: number): Promise<StatusAnswer> {
  return new Promise((resolve) => {
    const request = get({ host: STATUS_HOST, port, path: '/status', agent: false, headers: { Accept: 'application/json' } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ kind: 'answer', status: response.statusCode ?? 0, body });
      });
      response.on('error', () => resolve({ kind: 'unreachable' }));
    });
    // One deadline for the whole exchange (the socket `timeout` option only bounds idle gaps).
    const timer = setTimeout(() => request.destroy(new Error('timed out')), timeoutMs);
    request.on('error', () => {
      clearTimeout(timer);
      resolve({ kind: 'unreachable' });
    });
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
