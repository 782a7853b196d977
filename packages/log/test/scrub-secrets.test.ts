import { describe, expect, it } from '@jest/globals';

import { scrubSecrets } from '../src/scrub-secrets.js';
import { API_KEY, APP_KEY, MASKED_API_KEY, MASKED_APP_KEY } from './helpers.js';

describe('scrubSecrets', () => {
  describe('when the text holds a bare key', () => {
    it.each([
      ['in prose', `using key ${API_KEY} now`, `using key ${MASKED_API_KEY} now`],
      ['in upper case', `key ${API_KEY.toUpperCase()}`, `key ${MASKED_API_KEY.toUpperCase()}`],
      ['for an application key', `app ${APP_KEY}.`, `app ${MASKED_APP_KEY}.`],
      ['after a JSON-escaped newline', `"line one\\n${API_KEY}"`, `"line one\\n${MASKED_API_KEY}"`],
      ['each time', `${API_KEY},${API_KEY}`, `${MASKED_API_KEY},${MASKED_API_KEY}`],
      ['after a Windows path separator', `C:\\${API_KEY}`, `C:\\${MASKED_API_KEY}`],
    ])('should mask it %s, keeping the last 5 characters', (_case, text, expected) => {
      expect(scrubSecrets(text)).toBe(expected);
    });
  });

  describe('when the text holds a named secret', () => {
    it.each([
      ['a URL query', `https://api.datadoghq.com/api/v1/validate?api_key=${API_KEY}&x=1`, `?api_key=${MASKED_API_KEY}&x=1`],
      ['a short URL query value', 'GET /series?api_key=hunter2 HTTP/1.1', '?api_key=******** HTTP/1.1'],
      ['an env dump', 'DD_API_KEY=not-hex-but-secret-123', `DD_API_KEY=${'*'.repeat(17)}t-123`],
      ['a header line', 'DD-API-KEY: hunter2', 'DD-API-KEY: ********'],
      ['a canonicalised header line', 'Dd-Api-Key:hunter2', 'Dd-Api-Key:********'],
      ['deep JSON', '{"a":{"b":{"c":{"apiKey":"hunter2"}}}}', '{"a":{"b":{"c":{"apiKey":"********"}}}}'],
      ['JSON escaped inside a string', String.raw`{"msg":"{\"dd-api-key\":\"hunter2\"}"}`, String.raw`{\"dd-api-key\":\"********\"}`],
      ['util.inspect output', "{ 'dd-application-key': 'hunter2', app_key: 'x' }", "{ 'dd-application-key': '********', app_key: '********' }"],
    ])('should mask the value in %s', (_case, text, expected) => {
      expect(scrubSecrets(text)).toContain(expected);
      expect(scrubSecrets(text)).not.toContain('hunter2');
    });
  });

  describe('when nothing in the text is a secret', () => {
    it.each([
      ['a 31-hex word', API_KEY.slice(1)],
      ['a 33-hex word', `${API_KEY}0`],
      ['a key glued to a word', `x${API_KEY}`],
      ['a UUID', '123e4567-e89b-12d3-a456-426614174000'],
      ['prose naming the key', 'api_key: must be 32 hexadecimal characters'],
      ['a longer field name', '{"api_key_set":true,"apiKeyCount":2}'],
      ['an empty key', '{"api_key":""}'],
    ])('should return %s unchanged', (_case, text) => {
      expect(scrubSecrets(text)).toBe(text);
    });
  });

  it('should be idempotent, so an already masked key stays as it is', () => {
    const once = scrubSecrets(`{"api_key":"${API_KEY}","msg":"${API_KEY}"}`);
    expect(scrubSecrets(once)).toBe(once);
    expect(once).toBe(`{"api_key":"${MASKED_API_KEY}","msg":"${MASKED_API_KEY}"}`);
  });

  it('should keep a serialized line valid JSON', () => {
    const line = JSON.stringify({ msg: `a\n${API_KEY}\t"api_key=${API_KEY}"`, headers: { 'DD-API-KEY': 'hunter2' } });
    const parsed = JSON.parse(scrubSecrets(line)) as { msg: string; headers: Record<string, string> };
    expect(parsed.msg).toBe(`a\n${MASKED_API_KEY}\t"api_key=${MASKED_API_KEY}"`);
    expect(parsed.headers['DD-API-KEY']).toBe('********');
  });
});
