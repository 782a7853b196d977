import { describe, expect, it } from '@jest/globals';
import { createSocket } from 'node:dgram';
import { replace } from '@agentkit/core';
import { createTestApp, freeUdpPort } from '@agentkit/core/testing';
import { aggregatorBundle } from '@agentkit/aggregator';
import { dogstatsdBundle, UDP_LISTENER } from '@agentkit/dogstatsd';
import { consoleExporterBundle, LINE_SINK } from './agent.js';

async function sendUdp(port: number, packet: string): Promise<void> {
  const client = createSocket('udp4');
  await new Promise<void>((resolve, reject) => client.send(packet, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  client.close();
}

describe('the console-exporter example agent', () => {
  it('prints what DogStatsD received, aggregated, when the agent stops (the final flush reaches our exporter)', async () => {
    const lines: string[] = [];
    const app = createTestApp([dogstatsdBundle, aggregatorBundle, consoleExporterBundle, replace(LINE_SINK, { write: (l: string) => void lines.push(l) })], {
      config: { dogstatsd_port: await freeUdpPort(), hostname: 'example-host' },
    });
    // Our exporter sits where the serializer was: the aggregator injects it, so it starts first.
    expect(app.graph().edges).toContainEqual({ from: 'Demultiplexer', to: 'Serializer', kind: 'inject' });
    await app.start();
    await sendUdp(app.get(UDP_LISTENER).port, 'example.requests:2|c|#route:/a\nexample.requests:3|c|#route:/a\nexample.temp:21.5|g\n_sc|example.check|0');
    await new Promise((r) => setTimeout(r, 100)); // loopback UDP is asynchronous; the drain at stop reads the rest
    await app.stop();
    expect(lines).toEqual(
      expect.arrayContaining([
        // DogStatsD counters are sent as rates per second over the 10 s bucket, as Datadog does: 5 / 10.
        expect.stringMatching(/^example\.requests\{route:\/a\} rate 0\.5 @\d+$/),
        expect.stringMatching(/^example\.temp\{\} gauge 21\.5 @\d+$/),
        'check example.check status=0',
      ]),
    );
  });
});
