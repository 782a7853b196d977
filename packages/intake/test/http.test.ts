import { describe, expect, it } from '@jest/globals';
import { request } from 'node:http';
import { connect, createServer, type AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { configFromObject, silentLogger } from '@agentkit/core';
import { RecordingLogger } from '@agentkit/core/testing';
import { ENDPOINT_PATHS } from '@agentkit/forwarder';
import { HttpLocalIntake, IntakeError, IntakeErrorCode, startLocalIntake } from '../src/index.js';
import { http, intakeFor, post, type HttpAnswer } from './helpers.js';

const V1 = JSON.stringify({ series: [{ metric: 'm', points: [[1_700_000_000, 1]], tags: [], host: 'h', type: 'gauge', interval: 10 }] });

describe('bad input', () => {
  it('a body that does not decode: 400 with the reason, counted as decode_error, logged once per second', async () => {
    const logger = new RecordingLogger();
    const intake = await intakeFor({}, { logger });
    const first = await post(`${intake.url}${ENDPOINT_PATHS.series_v2}`, Buffer.from([0xff, 0xff, 0xff]), { 'Content-Type': 'application/x-protobuf' });
    const second = await post(`${intake.url}${ENDPOINT_PATHS.intake}`, '{"events": 3}');
    const corruptGzip = await post(`${intake.url}${ENDPOINT_PATHS.series_v1}`, gzipSync(V1).subarray(0, 12), { 'Content-Encoding': 'gzip' });
    for (const answer of [first, second, corruptGzip]) {
      expect(answer.status).toBe(400);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(answer.text)).toEqual({ errors: [expect.stringMatching(/malformed (protobuf )?payload|cannot decompress/)] });
    }
    expect(intake.stats().dropped).toEqual({ decode_error: 3 });
    expect(intake.telemetry()['dropped.decode_error']).toBe(3);
    expect(intake.series()).toEqual([]);
    expect(logger.messages('warn')).toEqual(['dropped 1 (decode_error)']);
    expect(logger.lines.find((l) => l.level === 'warn')?.obj).toMatchObject({ component: 'LocalIntake', reason: 'decode_error', path: ENDPOINT_PATHS.series_v2 });
    // The intake goes on: a good payload after them is stored.
    expect((await post(`${intake.url}${ENDPOINT_PATHS.series_v1}`, V1)).status).toBe(202);
    expect(intake.series()).toHaveLength(1);
  });

  it('413 for a body over the limit, by Content-Length or while a chunked body streams in; counted', async () => {
    const intake = await intakeFor({}, { maxBodyBytes: 1024 });
    const declared = await post(`${intake.url}${ENDPOINT_PATHS.series_v1}`, Buffer.alloc(2048, 0x20));
    expect(declared.status).toBe(413);
    expect(declared.headers['connection']).toBe('close');
    const chunked = await new Promise<HttpAnswer>((resolve, reject) => {
      const req = request(`${intake.url}${ENDPOINT_PATHS.series_v1}`, { method: 'POST', agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), text: Buffer.concat(chunks).toString() }));
      });
      req.on('error', reject);
      req.write(Buffer.alloc(700, 0x20));
      req.write(Buffer.alloc(700, 0x20));
      req.end();
    });
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.text)).toEqual({ errors: ['request body over 1024 bytes'] });
    expect(intake.stats().dropped).toEqual({ body_too_large: 2 });
    // Just under the limit is fine.
    expect((await post(`${intake.url}${ENDPOINT_PATHS.series_v1}`, V1.padEnd(1024, ' '))).status).toBe(202);
  });

  it('malformed HTTP is answered 400 and counted as bad_http', async () => {
    const intake = await intakeFor();
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(intake.port, '127.0.0.1', () => socket.write('THIS IS NOT HTTP\r\n\r\n'));
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(intake.stats().dropped).toEqual({ bad_http: 1 });
  });
});

describe('routes and methods', () => {
  it('GET /api/v1/validate accepts any key', async () => {
    const intake = await intakeFor();
    const answer = await http(`${intake.url}/api/v1/validate`, { headers: { 'DD-API-KEY': 'whatever' } });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ valid: true });
  });

  it('404 for unknown paths, 405 with Allow for a wrong method', async () => {
    const intake = await intakeFor();
    const cases: [string, string, number, string | undefined][] = [
      ['GET', '/nothing/here', 404, undefined],
      ['GET', '/api/local/nothing', 404, undefined],
      ['GET', ENDPOINT_PATHS.series_v2, 405, 'POST'],
      ['PUT', '/symdb/v1/input', 405, 'POST'],
      ['POST', '/api/v1/validate', 405, 'GET, HEAD'],
      ['POST', '/api/local/series', 405, 'GET, HEAD'],
      ['DELETE', '/', 405, 'GET, HEAD'],
    ];
    for (const [method, path, status, allow] of cases) {
      const answer = await http(`${intake.url}${path}`, { method });
      expect([method, path, answer.status, answer.headers['allow']]).toEqual([method, path, status, allow]);
      expect(JSON.parse(answer.text)).toEqual({ errors: [expect.any(String)] });
    }
    expect(intake.stats().requests).toMatchObject({ not_found: 1, api: 2, series_v2: 1, symdb: 1, validate: 1, page: 1 });
  });

  it('JSON answers are not cached; HEAD gives the headers without a body', async () => {
    const intake = await intakeFor();
    for (const name of ['series', 'sketches', 'events', 'service_checks', 'symdb', 'agent', 'stats']) {
      const answer = await http(`${intake.url}/api/local/${name}`);
      expect([name, answer.status, answer.headers['cache-control'], answer.headers['content-type']]).toEqual([name, 200, 'no-store', 'application/json; charset=utf-8']);
    }
    const head = await http(`${intake.url}/api/local/stats`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    expect(head.body.length).toBe(0);
  });
});

describe('listening', () => {
  it('url and port throw before start, with a stable code', () => {
    const intake = new HttpLocalIntake(configFromObject({}), silentLogger, { snapshot: () => ({}) });
    expect(() => intake.url).toThrow(expect.objectContaining({ code: IntakeErrorCode.NotStarted }));
    expect(() => intake.port).toThrow(IntakeError);
  });

  it('binds 127.0.0.1 on local_intake_port from the config', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
    const intake = await startLocalIntake({ config: configFromObject({ local_intake_port: port }) });
    try {
      expect(intake.port).toBe(port);
      expect(intake.url).toBe(`http://127.0.0.1:${port}`);
    } finally {
      await intake.onStop();
    }
  });

  it('a port in use fails the start with ERR_INTAKE_PORT_IN_USE naming local_intake_port', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const failure = await startLocalIntake({ port }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(IntakeError);
      expect(failure).toMatchObject({ code: IntakeErrorCode.PortInUse });
      const message = (failure as Error).message;
      expect(message).toContain(`127.0.0.1:${port}`);
      expect(message).toContain('local_intake_port');
      expect(message).toContain('DD_LOCAL_INTAKE_PORT');
      expect(message).toContain('agentkit intake');
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});
