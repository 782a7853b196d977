import { describe, expect, it } from '@jest/globals';

import { AgentkitError } from '@agentkit/core';
import type { Logger } from '@agentkit/core';

import { createLogger } from '../src/create-logger.js';
import type { CreateLoggerOptions } from '../src/create-logger.js';
import { LogErrorCode } from '../src/errors.js';
import type { LogLevel } from '../src/log-level.js';
import { API_KEY, APP_KEY, Collector, MASKED_API_KEY, MASKED_APP_KEY } from './helpers.js';

function jsonLogger(options: CreateLoggerOptions = {}): { log: ReturnType<typeof createLogger>; out: Collector } {
  const out = new Collector();
  return { log: createLogger({ level: 'trace', isTerminal: false, destination: out, ...options }), out };
}

describe('createLogger', () => {
  it('should satisfy the Logger interface of @agentkit/core', () => {
    const log: Logger = jsonLogger().log;
    expect(typeof log.child({ a: 1 }).info).toBe('function');
  });

  describe('when the level is info', () => {
    it('should hide debug and trace and write info and above as JSON lines', () => {
      const { log, out } = jsonLogger({ level: 'info' });
      log.trace('t');
      log.debug({ port: 1 }, 'd');
      log.info({ port: 8125 }, 'listening');
      log.warn('w');
      expect(out.records().map((r) => [r['level'], r['msg']])).toEqual([
        [30, 'listening'],
        [40, 'w'],
      ]);
      expect(out.records()[0]).toMatchObject({ port: 8125 });
    });
  });

  it('should have written the line when the log call returns', () => {
    const { log, out } = jsonLogger();
    log.info('now');
    expect(out.chunks).toHaveLength(1);
  });

  describe('when given a Datadog level name', () => {
    it.each<[LogLevel, string]>([
      ['critical', 'fatal'],
      ['off', 'silent'],
      ['warning', 'warn'],
      ['error', 'error'],
    ])('should map %s to pino %s', (level, expected) => {
      expect(jsonLogger({ level }).log.level).toBe(expected);
    });

    it('should accept any case, as the Datadog Agent does', () => {
      expect(jsonLogger({ level: 'DEBUG' as LogLevel }).log.level).toBe('debug');
    });

    it('should log only fatal at critical, and nothing at off', () => {
      const critical = jsonLogger({ level: 'critical' });
      critical.log.error('e');
      critical.log.fatal('f');
      expect(critical.out.records().map((r) => r['level'])).toEqual([60]);

      const off = jsonLogger({ level: 'off' });
      off.log.fatal('f');
      expect(off.out.chunks).toEqual([]);
    });

    it('should reject an unknown level with an error naming log_level', () => {
      const create = (): unknown => createLogger({ level: 'verbose' as LogLevel, destination: new Collector() });
      expect(create).toThrow(/log_level \(DD_LOG_LEVEL\)/);
      try {
        create();
      } catch (error) {
        expect(AgentkitError.is(error, LogErrorCode.InvalidLevel)).toBe(true);
      }
    });
  });

  describe('when a logged object holds an API key', () => {
    it('should redact api_key, apiKey and DD_API_KEY fields at the top level and one level down', () => {
      const { log, out } = jsonLogger();
      // 'hunter 2' has a space, where text scrubbing of the line stops: only `redact` hides it whole.
      log.info({ api_key: API_KEY, DD_API_KEY: 'hunter 2', config: { apiKey: API_KEY, site: 'datadoghq.com' } }, 'cfg');
      expect(out.records()[0]).toEqual(
        expect.objectContaining({
          api_key: MASKED_API_KEY,
          DD_API_KEY: '********',
          config: { apiKey: MASKED_API_KEY, site: 'datadoghq.com' },
        }),
      );
    });

    it('should redact DD-API-KEY headers however cased and however deep', () => {
      const { log, out } = jsonLogger();
      log.warn(
        {
          headers: { 'DD-API-KEY': API_KEY, 'Content-Type': 'application/json' },
          req: { headers: { 'dd-api-key': API_KEY } },
          attempt: { request: { options: { headers: { 'Dd-Api-Key': 'hunter2', 'dd-application-key': APP_KEY } } } },
        },
        'retrying',
      );
      const text = out.text();
      expect(text).not.toContain(API_KEY.slice(0, 27));
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain(APP_KEY.slice(0, 35));
      expect(out.records()[0]).toMatchObject({
        headers: { 'DD-API-KEY': MASKED_API_KEY, 'Content-Type': 'application/json' },
        req: { headers: { 'dd-api-key': MASKED_API_KEY } },
        attempt: { request: { options: { headers: { 'Dd-Api-Key': '********', 'dd-application-key': MASKED_APP_KEY } } } },
      });
    });
  });

  describe('when a message or an error holds an API key', () => {
    it('should mask a key in the message, in a format argument and in a deep string field', () => {
      const { log, out } = jsonLogger();
      log.info(`validating key ${API_KEY}`);
      log.info('validating key %s', API_KEY);
      log.info({ a: { b: { c: `url?api_key=${API_KEY}` } } }, 'deep');
      const [first, second, third] = out.records();
      expect(first?.['msg']).toBe(`validating key ${MASKED_API_KEY}`);
      expect(second?.['msg']).toBe(`validating key ${MASKED_API_KEY}`);
      expect(third).toMatchObject({ a: { b: { c: `url?api_key=${MASKED_API_KEY}` } } });
    });

    it("should mask a key in an Error's message and stack, logged alone or as err", () => {
      const { log, out } = jsonLogger();
      const error = new Error(`403 Forbidden for key ${API_KEY}`, { cause: new Error(`key ${API_KEY}`) });
      log.error(error);
      log.error({ err: error }, 'send failed');
      expect(out.text()).not.toContain(API_KEY);
      const [alone, asErr] = out.records() as { msg: string; err: { message: string; stack: string } }[];
      expect(alone?.msg).toBe(`403 Forbidden for key ${MASKED_API_KEY}`);
      // pino's err serializer appends the causes' messages.
      expect(asErr?.err.message).toBe(`403 Forbidden for key ${MASKED_API_KEY}: key ${MASKED_API_KEY}`);
      expect(asErr?.err.stack).toContain(`Error: 403 Forbidden for key ${MASKED_API_KEY}\n    at `);
    });

    it('should leave text that only looks like a key alone', () => {
      const { log, out } = jsonLogger();
      log.info({ traceId: API_KEY.slice(1), requestId: '123e4567-e89b-12d3-a456-426614174000' }, 'api_key: must be set');
      expect(out.records()[0]).toMatchObject({
        traceId: API_KEY.slice(1),
        requestId: '123e4567-e89b-12d3-a456-426614174000',
        msg: 'api_key: must be set',
      });
    });
  });

  describe('when a child logger is made', () => {
    it('should keep the redaction, for logged objects and for its own bindings', () => {
      const { log, out } = jsonLogger();
      const child = log.child({ component: 'forwarder', endpoint: `https://x/api/v2/series?api_key=${API_KEY}` });
      child.info({ api_key: 'hunter2', headers: { 'DD-API-KEY': API_KEY } }, `sent with ${API_KEY}`);
      expect(out.text()).not.toContain('hunter2');
      expect(out.text()).not.toContain(API_KEY);
      expect(out.records()[0]).toMatchObject({
        component: 'forwarder',
        endpoint: `https://x/api/v2/series?api_key=${MASKED_API_KEY}`,
        api_key: '********',
        headers: { 'DD-API-KEY': MASKED_API_KEY },
        msg: `sent with ${MASKED_API_KEY}`,
      });
    });
  });

  describe('when on a terminal', () => {
    it('should write human-readable lines with the level label, synchronously and scrubbed', () => {
      const out = new Collector();
      const log = createLogger({ level: 'info', destination: out, isTerminal: true });
      log.debug('hidden');
      log.info({ port: 8125 }, `listening with key ${API_KEY}`);
      expect(out.chunks).toHaveLength(1);
      const text = out.text();
      expect(text).toMatch(/INFO.*: listening with key \*{27}c0ffe\n/);
      expect(text).toContain('port: 8125');
      expect(text).not.toContain('{"');
      expect(text).not.toContain('hidden');
    });

    it('should follow the destination being a TTY when isTerminal is not given', () => {
      const out = new Collector(true);
      createLogger({ destination: out }).info('hello');
      expect(out.text()).toMatch(/INFO.*: hello\n/);
    });

    it('should write JSON lines anyway when json is true', () => {
      const out = new Collector(true);
      createLogger({ destination: out, json: true, name: 'agent', base: null }).info('hello');
      expect(out.records()).toEqual([{ level: 30, time: expect.any(Number) as unknown, name: 'agent', msg: 'hello' }]);
    });
  });
});
