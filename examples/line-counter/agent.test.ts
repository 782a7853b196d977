import { describe, expect, it } from '@jest/globals';
import { createSocket } from 'node:dgram';
import { createTestApp, RecordingLogger } from '@agentkit/core/testing';
import { heartbeatBundle, HEARTBEAT, LINE_COUNTER, UDP_LISTENER, ingestBundle } from './agent.js';

async function sendLines(port: number, packets: readonly string[]): Promise<void> {
  const client = createSocket('udp4');
  for (const packet of packets) {
    await new Promise<void>((resolve, reject) => client.send(packet, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  }
  client.close();
}

describe('the line-counter example agent', () => {
  it('counts lines received over real UDP, with the heartbeat bundle off by default', async () => {
    const app = createTestApp([ingestBundle, heartbeatBundle], { config: { example_port: 0 } });
    // Config is a built-in the listener injects; it joins the graph because it is used.
    expect(app.graph().startOrder).toEqual(['Config', 'LineCounter', 'UdpLineListener']);
    await app.start();
    const counter = app.get(LINE_COUNTER);
    await sendLines(app.get(UDP_LISTENER).port, ['a:1|c\nb:2|c', 'a:3|c']);
    // UDP is delivered asynchronously even on loopback: wait until the socket has read them.
    for (let i = 0; i < 100 && counter.total() < 3; i++) await new Promise((r) => setTimeout(r, 5));
    await app.stop();
    expect(Object.fromEntries(counter.counts)).toEqual({ a: 2, b: 1 });
  });

  it('adds the heartbeat when config switches its bundle on', async () => {
    const logger = new RecordingLogger();
    const app = createTestApp([ingestBundle, heartbeatBundle], { config: { example_heartbeat: true }, logger });
    expect(app.graph().startOrder).toEqual(['Config', 'Logger', 'LineCounter', 'UdpLineListener', 'Heartbeat']);
    expect(app.graph().edges).toContainEqual({ from: 'Heartbeat', to: 'LineCounter', kind: 'inject' });
    await app.start();
    while (app.get(HEARTBEAT).beats < 2) await new Promise((r) => setTimeout(r, 10));
    expect(logger.messages('info').filter((m) => m === 'heartbeat').length).toBeGreaterThanOrEqual(2);
  });
});
