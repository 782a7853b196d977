import { connect } from 'node:net';
import { describe, expect, it } from '@jest/globals';
import { FakeDemultiplexer, fakeAggregatorBundle } from '@agentkit/aggregator';
import { APM_RECEIVER, apmBundle, PREBOUND_APM_SERVER, PreboundApmServer } from '@agentkit/apm';
import { bundle, provide } from '@agentkit/core';
import { createTestApp, freeTcpPort, RecordingLogger } from '@agentkit/core/testing';
import { dogstatsdBundle } from '@agentkit/dogstatsd';
import { apmConfig, send } from './helpers.js';

// agentkit exec opens the receiver's TCP port before the pipeline exists (PreboundApmServer);
// the receiver takes the port over at its start, with the connections it held unread, and
// answers their requests.
describe('PreboundApmServer', () => {
  it('holds a request made before the receiver starts; the receiver answers it, then serves on the same port', async () => {
    const config = apmConfig({ dogstatsd_port: 0, 'apm_config.receiver_port': await freeTcpPort() });
    const log = new RecordingLogger();
    const prebound = await PreboundApmServer.listen(config, log);
    if (prebound === undefined) throw new Error('the listen failed');
    let answered = false;
    const early = send({ port: prebound.port }, 'GET', '/info').finally(() => (answered = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(answered).toBe(false);
    const app = createTestApp([fakeAggregatorBundle(new FakeDemultiplexer()), dogstatsdBundle, apmBundle, bundle('prebound', [provide(PREBOUND_APM_SERVER, { useValue: prebound })])], {
      config,
      logger: log,
    });
    await app.start();
    expect(app.get(APM_RECEIVER).port).toBe(prebound.port);
    expect((await early).status).toBe(200);
    expect((await send({ port: prebound.port }, 'GET', '/info')).status).toBe(200);
    expect(app.telemetry()['ApmReceiver']).toMatchObject({ requests: 2, listen_errors: 0 });
    await app.stop();
    expect(await prebound.closeUntaken()).toBe(0);
  });

  it('hands over connections unread: a request begun before the take and finished after it is answered; a client gone before the take is closed without an answer', async () => {
    const config = apmConfig({ dogstatsd_port: 0, 'apm_config.receiver_port': await freeTcpPort() });
    const log = new RecordingLogger();
    const prebound = await PreboundApmServer.listen(config, log);
    if (prebound === undefined) throw new Error('the listen failed');
    const gone = connect(prebound.port, '127.0.0.1');
    await new Promise((resolve) => gone.once('connect', resolve));
    gone.destroy();
    const client = connect(prebound.port, '127.0.0.1');
    let answer = '';
    client.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    const ended = new Promise((resolve) => client.once('end', resolve));
    await new Promise((resolve) => client.once('connect', resolve));
    client.write('GET /info HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(answer).toBe('');
    const app = createTestApp([fakeAggregatorBundle(new FakeDemultiplexer()), dogstatsdBundle, apmBundle, bundle('prebound', [provide(PREBOUND_APM_SERVER, { useValue: prebound })])], {
      config,
      logger: log,
    });
    await app.start();
    client.end('Connection: close\r\n\r\n');
    await ended;
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(app.telemetry()['ApmReceiver']).toMatchObject({ requests: 1, listen_errors: 0 });
    await app.stop();
  });

  it('is undefined at port 0 and for a port in use; unused, it closes and counts the connections it cut', async () => {
    const log = new RecordingLogger();
    expect(await PreboundApmServer.listen(apmConfig({ 'apm_config.receiver_port': 0 }), log)).toBeUndefined();
    const config = apmConfig({ 'apm_config.receiver_port': await freeTcpPort() });
    const prebound = await PreboundApmServer.listen(config, log);
    if (prebound === undefined) throw new Error('the listen failed');
    expect(await PreboundApmServer.listen(config, log)).toBeUndefined();
    const early = send({ port: prebound.port }, 'GET', '/info').then(
      () => 'answered',
      () => 'cut',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await prebound.closeUntaken()).toBe(1);
    expect(await early).toBe('cut');
  });
});
