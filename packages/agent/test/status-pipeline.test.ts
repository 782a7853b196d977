import { describe, expect, it } from '@jest/globals';
import { createSocket } from 'node:dgram';
import { aggregatorBundle } from '@agentkit/aggregator';
import { commonConfigKeys, loadConfig } from '@agentkit/config';
import { createTestApp, freeUdpPort } from '@agentkit/core/testing';
import { dogstatsdBundle, UDP_LISTENER } from '@agentkit/dogstatsd';
import { FORWARDER, forwarderBundle, forwarderConfigKeys } from '@agentkit/forwarder';
import { serializerBundle } from '@agentkit/serializer';
import { startTestIntake } from '@agentkit/testing';
import { allConfigKeys } from '../src/config-keys.js';
import { statusConfigKeys } from '../src/status/config-keys.js';
import { STATUS_SERVER, type StatusDocument } from '../src/status/status-server.def.js';
import { statusBundle } from '../src/status/status.module.js';
import { parseExposition, request, waitFor } from './status-support.js';

const COUNTS = 30;

function sendUdp(port: number, datagrams: readonly string[]): Promise<void> {
  const socket = createSocket('udp4');
  return new Promise((resolve, reject) => {
    let left = datagrams.length;
    for (const datagram of datagrams) {
      socket.send(datagram, port, '127.0.0.1', (error) => {
        if (error) reject(error);
        else if (--left === 0) socket.close(() => resolve());
      });
    }
  });
}

// The promise: every stage's counters, served by the running agent, move with what it
// receives. Real UDP, real parsing and aggregation, real payloads to a real HTTP intake.
describe('the status server in front of the real pipeline', () => {
  it('shows the counters of every stage move in /status and /telemetry', async () => {
    const intake = await startTestIntake();
    try {
      const config = loadConfig({
        keys: allConfigKeys,
        env: {
          DD_API_KEY: 'x',
          DD_DD_URL: intake.url,
          DD_DOGSTATSD_PORT: String(await freeUdpPort()),
          DD_CMD_PORT: '0',
          // Events and service checks go out with every flush (series wait for their 10 s bucket).
          DD_AGGREGATOR_FLUSH_INTERVAL: '0.2',
        },
      });
      const app = createTestApp([dogstatsdBundle, aggregatorBundle, serializerBundle, forwarderBundle, statusBundle], { config });
      await app.start();
      const url = app.get(STATUS_SERVER).url;
      const hits = Array.from({ length: COUNTS }, (_, i) => `status.hits:1|c|#shard:${i % 3}`);
      await sendUdp(app.get(UDP_LISTENER).port, [
        hits.slice(0, COUNTS / 2).join('\n'),
        hits.slice(COUNTS / 2).join('\n'),
        'not a metric\n_e{5,4}:title|text\n_sc|status.check|0',
      ]);

      let doc: StatusDocument | undefined;
      const counter = (component: string, name: string): number | undefined => doc?.components[component]?.[name];
      await waitFor(async () => {
        doc = JSON.parse((await request(`${url}/status`)).body) as StatusDocument;
        return (counter('Forwarder', 'payloads_sent.check_run_v1') ?? 0) >= 1 && (counter('Forwarder', 'payloads_sent.intake') ?? 0) >= 1;
      }, 'the event and the service check to reach the intake, as /status tells');

      expect(counter('UdpListener', 'packets')).toBe(3);
      expect(counter('UdpListener', 'listening')).toBe(1);
      expect(counter('DogstatsdServer', 'packets')).toBe(3);
      expect(counter('DogstatsdServer', 'lines')).toBe(COUNTS + 3);
      expect(counter('DogstatsdServer', 'samples')).toBe(COUNTS);
      expect(counter('DogstatsdServer', 'events')).toBe(1);
      expect(counter('DogstatsdServer', 'service_checks')).toBe(1);
      expect(counter('DogstatsdServer', 'parse_errors.metric_format')).toBe(1);
      expect(counter('DogstatsdServer', 'queue_depth')).toBe(0);
      expect(counter('Demultiplexer', 'samples')).toBe(COUNTS);
      expect(counter('Demultiplexer', 'contexts')).toBe(3);
      expect(counter('Demultiplexer', 'events_sent')).toBe(1);
      expect(counter('Demultiplexer', 'service_checks_sent')).toBe(1);
      expect(counter('Demultiplexer', 'queued_events')).toBe(0);
      expect(counter('Serializer', 'payloads.intake')).toBe(1);
      expect(counter('Serializer', 'payloads.check_run_v1')).toBe(1);
      expect(counter('Forwarder', 'payloads_submitted')).toBeGreaterThanOrEqual(2);
      expect(counter('Forwarder', 'queue.bytes')).toBe(0);
      expect(intake.serviceChecks().map((c) => c.check)).toEqual(['status.check']);

      const samples = parseExposition((await request(`${url}/telemetry`)).body);
      const value = (name: string, labels: Record<string, string> = {}): number | undefined =>
        samples.find((s) => s.name === name && JSON.stringify(s.labels) === JSON.stringify(labels))?.value;
      expect(value('agentkit_udp_listener_packets')).toBe(3);
      expect(value('agentkit_dogstatsd_server_samples')).toBe(COUNTS);
      expect(value('agentkit_dogstatsd_server_parse_errors', { kind: 'metric_format' })).toBe(1);
      expect(value('agentkit_demultiplexer_contexts')).toBe(3);
      expect(value('agentkit_serializer_payloads', { endpoint: 'check_run_v1' })).toBe(1);
      expect(value('agentkit_forwarder_payloads_sent', { endpoint: 'check_run_v1' })).toBe(1);
      expect(value('agentkit_forwarder_queue', { key: 'bytes' })).toBe(0);
      await app.stop();
    } finally {
      await intake.close();
    }
  });

  it('shows the forwarder\'s queue, its bytes, and what the intake refused, by endpoint', async () => {
    // One request at a time: while the first is held by the intake, the next two wait in the queue.
    const intake = await startTestIntake({ responses: [{ status: 202, delayMs: 3000 }, { status: 403 }, { status: 403 }] });
    try {
      const config = loadConfig({
        keys: [...commonConfigKeys, ...forwarderConfigKeys, ...statusConfigKeys],
        env: { DD_API_KEY: 'x', DD_DD_URL: intake.url, DD_CMD_PORT: '0', DD_FORWARDER_MAX_CONCURRENT_REQUESTS: '1' },
      });
      const app = createTestApp([forwarderBundle, statusBundle], { config });
      await app.start();
      const url = app.get(STATUS_SERVER).url;
      const forwarder = app.get(FORWARDER);
      for (const size of [100, 200, 300]) forwarder.submit({ endpoint: 'series_v2', body: Buffer.alloc(size, 1), headers: {}, itemCount: 1 });

      let doc = JSON.parse((await request(`${url}/status`)).body) as StatusDocument;
      expect(doc.components['Forwarder']).toMatchObject({ payloads_submitted: 3, inflight: 1, 'queue.high': 2, 'queue.bytes': 500 });

      await waitFor(async () => {
        doc = JSON.parse((await request(`${url}/status`)).body) as StatusDocument;
        const forwarder = doc.components['Forwarder'];
        return forwarder?.['payloads_sent.series_v2'] === 1 && forwarder['payloads_failed.series_v2'] === 2;
      }, 'the three payloads to be answered');
      expect(doc.components['Forwarder']).toMatchObject({
        'payloads_sent.series_v2': 1,
        'payloads_failed.series_v2': 2,
        'dropped.rejected_403': 2,
        inflight: 0,
        'queue.high': 0,
        'queue.bytes': 0,
      });
      const samples = parseExposition((await request(`${url}/telemetry`)).body);
      expect(samples).toContainEqual({ name: 'agentkit_forwarder_payloads_failed', labels: { endpoint: 'series_v2' }, value: 2 });
      expect(samples).toContainEqual({ name: 'agentkit_forwarder_dropped', labels: { reason: 'rejected_403' }, value: 2 });
      await app.stop();
    } finally {
      await intake.close();
    }
  });
});
