import { describe, expect, it } from '@jest/globals';
import { Agent, get } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { loadConfig } from '@agentkit/config';
import { AGENTKIT_VERSION, AgentkitError, bundle, CoreErrorCode, provide, token, type TelemetrySource } from '@agentkit/core';
import { createTestApp } from '@agentkit/core/testing';
import { statusConfigKeys } from '../src/status/config-keys.js';
import { StatusErrorCode } from '../src/status/errors.js';
import { PROMETHEUS_CONTENT_TYPE } from '../src/status/prometheus.js';
import { STATUS_SERVER, type StatusDocument } from '../src/status/status-server.def.js';
import { statusBundle } from '../src/status/status.module.js';
import { parseExposition, request } from './status-support.js';

/** A pipeline stage whose counters the test moves. */
class Stage implements TelemetrySource {
  public readonly counters: Record<string, number> = { packets: 0, queue_depth: 0, 'dropped.queue_full': 0 };

  public telemetry(): Record<string, number> {
    return { ...this.counters };
  }
}

const STAGE = token<Stage>('PipelineStage');

function statusApp(cmdPort: number, stage = new Stage()) {
  const config = loadConfig({ keys: statusConfigKeys, env: {}, overrides: { cmd_port: cmdPort } });
  const app = createTestApp([bundle('stage', [provide(STAGE, { useValue: stage })]), statusBundle], { config });
  return { app, stage };
}

async function startedStatusApp(stage = new Stage()) {
  const { app } = statusApp(0, stage);
  await app.start();
  return { app, stage, url: app.get(STATUS_SERVER).url };
}

function occupyPort(): Promise<Server> {
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

describe('HttpStatusServer', () => {
  describe('GET /status', () => {
    it('answers the version, pid, start time, uptime and every component\'s telemetry as JSON', async () => {
      const { stage, url, app } = await startedStatusApp();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(app.get(STATUS_SERVER).port).toBe(Number(new URL(url).port));
      stage.counters['packets'] = 12;
      stage.counters['dropped.queue_full'] = 2;
      const answer = await request(`${url}/status`);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
      const doc = JSON.parse(answer.body) as StatusDocument;
      expect(doc).toEqual({
        version: AGENTKIT_VERSION,
        pid: process.pid,
        startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as unknown,
        uptimeSeconds: expect.any(Number) as unknown,
        components: {
          PipelineStage: { packets: 12, queue_depth: 0, 'dropped.queue_full': 2 },
          StatusServer: { requests: 1, not_found: 0, errors: 0 },
        },
      });
      expect(doc.uptimeSeconds).toBeGreaterThanOrEqual(0);
      expect(Date.parse(doc.startedAt)).toBeLessThanOrEqual(Date.now());

      stage.counters['packets'] = 13;
      const root = JSON.parse((await request(`${url}/`)).body) as StatusDocument;
      expect(root.components['PipelineStage']?.['packets']).toBe(13);
    });
  });

  describe('GET /telemetry', () => {
    it('answers the same counters in the Prometheus text format, with labels for dotted counters', async () => {
      const { stage, url } = await startedStatusApp();
      stage.counters['packets'] = 5;
      stage.counters['dropped.queue_full'] = 3;
      const answer = await request(`${url}/telemetry`);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe(PROMETHEUS_CONTENT_TYPE);
      const samples = parseExposition(answer.body);
      expect(samples).toContainEqual({ name: 'agentkit_pipeline_stage_packets', labels: {}, value: 5 });
      expect(samples).toContainEqual({ name: 'agentkit_pipeline_stage_dropped', labels: { reason: 'queue_full' }, value: 3 });
      expect(samples).toContainEqual({ name: 'agentkit_up', labels: {}, value: 1 });
      expect(samples).toContainEqual({ name: 'agentkit_build_info', labels: { version: AGENTKIT_VERSION }, value: 1 });
      expect(samples.find((s) => s.name === 'agentkit_uptime_seconds')?.value).toBeGreaterThanOrEqual(0);
      expect(answer.body).toContain('# TYPE agentkit_pipeline_stage_dropped gauge\n');
    });

    it('escapes label values a component made up', async () => {
      const { stage, url } = await startedStatusApp();
      stage.counters['dropped.bad "reason"\\\n'] = 1;
      const answer = await request(`${url}/telemetry`);
      expect(answer.body).toContain('agentkit_pipeline_stage_dropped{reason="bad \\"reason\\"\\\\\\n"} 1\n');
      expect(parseExposition(answer.body)).toContainEqual({ name: 'agentkit_pipeline_stage_dropped', labels: { reason: 'bad "reason"\\\n' }, value: 1 });
    });
  });

  describe('other requests', () => {
    it('answers 404 for an unknown path (counted), 405 for another method, and HEAD without a body', async () => {
      const { url, app } = await startedStatusApp();
      const missing = await request(`${url}/nope?x=1`);
      expect(missing.status).toBe(404);
      expect(missing.body).toContain('/status');
      const post = await request(`${url}/status`, 'POST');
      expect(post.status).toBe(405);
      expect(post.headers['allow']).toBe('GET, HEAD');
      const head = await request(`${url}/status`, 'HEAD');
      expect(head.status).toBe(200);
      expect(head.body).toBe('');
      expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
      expect(app.telemetry()['StatusServer']).toEqual({ requests: 3, not_found: 1, errors: 0 });
    });

    it('answers 500 when a component\'s telemetry throws, and keeps serving', async () => {
      let broken = true;
      const FLAKY = token<object>('Flaky');
      const config = loadConfig({ keys: statusConfigKeys, env: {}, overrides: { cmd_port: 0 } });
      const app = createTestApp(
        [
          bundle('flaky', [
            provide(FLAKY, {
              useValue: {
                telemetry: () => {
                  if (broken) throw new Error('boom');
                  return { ok: 1 };
                },
              },
            }),
          ]),
          statusBundle,
        ],
        { config },
      );
      await app.start();
      const url = app.get(STATUS_SERVER).url;
      expect((await request(`${url}/status`)).status).toBe(500);
      broken = false;
      const answer = await request(`${url}/status`);
      expect(answer.status).toBe(200);
      expect((JSON.parse(answer.body) as StatusDocument).components['StatusServer']).toEqual({ requests: 2, not_found: 0, errors: 1 });
    });
  });

  describe('the cmd_port key', () => {
    it('turns the status bundle off at -1', async () => {
      const { app } = statusApp(-1);
      expect(app.bundles().find((b) => b.name === 'status')).toMatchObject({ enabled: false });
      await app.start();
      expect(() => app.get(STATUS_SERVER)).toThrow(expect.objectContaining({ code: CoreErrorCode.NotProvided }));
    });

    it('fails the start with an error naming cmd_port when the port is taken', async () => {
      const taken = await occupyPort();
      try {
        const port = (taken.address() as AddressInfo).port;
        const { app } = statusApp(port);
        const error = await app.start().then(
          () => undefined,
          (e: unknown) => e,
        );
        const cause = (error as { cause?: unknown }).cause;
        expect(AgentkitError.is(cause, StatusErrorCode.PortInUse)).toBe(true);
        expect((cause as Error).message).toContain(`cmd_port: 127.0.0.1:${port} is already in use`);
        expect((cause as Error).message).toContain('DD_CMD_PORT');
      } finally {
        await new Promise((resolve) => taken.close(resolve));
      }
    });
  });

  describe('stop', () => {
    it('closes the port, keep-alive connections included', async () => {
      const { app, url } = await startedStatusApp();
      const agent = new Agent({ keepAlive: true });
      try {
        const first = await new Promise<number>((resolve, reject) => {
          get(`${url}/status`, { agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          }).on('error', reject);
        });
        expect(first).toBe(200);
        expect(Object.keys(agent.freeSockets)).toHaveLength(1);
        await app.stop();
        expect(app.get(STATUS_SERVER).url).toBe('');
        await expect(request(`${url}/status`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      } finally {
        agent.destroy();
      }
    });
  });
});
