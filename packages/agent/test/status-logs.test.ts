import { describe, expect, it } from '@jest/globals';
import { PassThrough } from 'node:stream';
import { loadConfig } from '@agentkit/config';
import { createTestApp } from '@agentkit/core/testing';
import { LOG_SOURCE, logsBundle } from '@agentkit/logs';
import { startTestIntake } from '@agentkit/testing';
import { allConfigKeys } from '../src/config-keys.js';
import { STATUS_SERVER, type StatusDocument } from '../src/status/status-server.def.js';
import { statusBundle } from '../src/status/status.module.js';
import { parseExposition, request, waitFor } from './status-support.js';

// `agentkit status` and /telemetry read the logs pipeline's counters like any stage's: lines
// read, logs sent, logs dropped (here, a payload the intake refuses with 400).
describe('the status server in front of the logs pipeline', () => {
  it('counts the lines read, the logs sent and the logs dropped, in /status and /telemetry', async () => {
    const intake = await startTestIntake({ sequences: { logs: [400] } });
    try {
      const config = loadConfig({
        keys: allConfigKeys,
        env: { DD_API_KEY: 'x', DD_LOGS_ENABLED: 'true', DD_LOGS_CONFIG_LOGS_DD_URL: intake.url, DD_LOGS_CONFIG_BATCH_WAIT: '0.05', DD_CMD_PORT: '0' },
      });
      const app = createTestApp([logsBundle({ tags: [], defaultSource: 'local' }), statusBundle], { config });
      await app.start();
      const pipes = { stdout: new PassThrough(), stderr: new PassThrough(), mirrorStdout: new PassThrough().resume(), mirrorStderr: new PassThrough().resume() };
      app.get(LOG_SOURCE).attach(pipes);
      const url = app.get(STATUS_SERVER).url;
      pipes.stdout.write('refused 1\nrefused 2\n');
      await intake.waitFor(() => intake.requests.some((r) => r.route === 'logs'), 'the refused payload');
      pipes.stderr.write('kept 1\nkept 2\nkept 3\n');

      let doc: StatusDocument | undefined;
      const counter = (component: string, name: string): number | undefined => doc?.components[component]?.[name];
      await waitFor(async () => {
        doc = JSON.parse((await request(`${url}/status`)).body) as StatusDocument;
        return (counter('LogSender', 'logs.sent') ?? 0) + (counter('LogSender', 'logs.dropped') ?? 0) === 5;
      }, 'every log sent or dropped, as /status tells');
      const refused = intake.requests.find((r) => r.route === 'logs' && r.status === 400);
      const refusedLogs = refused?.decoded?.kind === 'logs' ? refused.decoded.payload.length : -1;
      expect(refusedLogs).toBeGreaterThan(0);
      expect(counter('LogProcessor', 'lines.read')).toBe(5);
      expect(counter('LogSender', 'logs.dropped')).toBe(refusedLogs);
      expect(counter('LogSender', 'logs.sent')).toBe(intake.logs().length);
      expect(counter('LogSender', 'dropped_payloads.rejected_400')).toBe(1);
      expect(counter('LogSource', 'bytes.stdout')).toBe(20);

      const samples = parseExposition((await request(`${url}/telemetry`)).body);
      const names = samples.map((s) => `${s.name}${JSON.stringify(s.labels)}`);
      expect(names).toEqual(expect.arrayContaining(['agentkit_log_processor_lines{"key":"read"}', 'agentkit_log_sender_logs{"key":"sent"}', 'agentkit_log_sender_logs{"key":"dropped"}']));
      pipes.stdout.end();
      pipes.stderr.end();
      await app.stop();
    } finally {
      await intake.close();
    }
  });
});
