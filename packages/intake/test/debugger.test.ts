import { describe, expect, it } from '@jest/globals';
import { gzipSync } from 'node:zlib';
import { multipartFrame } from '@agentkit/symdb';
import type { LocalDebuggerUpload } from '../src/index.js';
import { getJson, intakeFor, post } from './helpers.js';

const SNAPSHOTS = JSON.stringify([{ service: 'cart', message: 'total computed' }, { service: 'cart', message: 'again' }]);

describe('Dynamic Instrumentation uploads', () => {
  it('/debugger/* JSON bodies are kept as summaries with the headers that matter, the API key masked', async () => {
    const intake = await intakeFor();
    const answer = await post(`${intake.url}/debugger/v1/input?ddtags=host%3Aa`, gzipSync(SNAPSHOTS), {
      'Content-Type': 'application/json',
      'Content-Encoding': 'gzip',
      'DD-EVP-ORIGIN': 'agent-debugger',
      'DD-REQUEST-ID': 'req-1',
      'DD-API-KEY': '0123456789abcdef0123456789abcdef',
    });
    expect(answer.status).toBe(202);
    const uploads = await getJson<LocalDebuggerUpload[]>(`${intake.url}/api/local/debugger`);
    expect(uploads).toEqual(intake.debuggerUploads());
    expect(uploads).toEqual([
      {
        receivedAtMs: expect.any(Number),
        path: '/debugger/v1/input',
        contentType: 'application/json',
        bytes: gzipSync(SNAPSHOTS).length,
        items: 2,
        service: 'cart',
        sample: 'total computed',
        headers: { evpOrigin: 'agent-debugger', requestId: 'req-1', ddtags: 'host:a', apiKey: '***************************bcdef' },
      },
    ]);
    expect(intake.stats()).toMatchObject({ items: { debugger: 2 }, stored: { debuggerUploads: 1 } });
  });

  it('/api/v2/debugger takes symdb batches and Dynamic Instrumentation uploads alike, told apart by the body', async () => {
    const intake = await intakeFor();
    const file = gzipSync(JSON.stringify({ service: 'cart', scopes: [] }));
    const frame = multipartFrame({ service: 'cart', version: '1', env: 'e', runtimeId: 'r', uploadId: 'u', batchNum: 1, final: true, attachmentSize: file.length });
    expect((await post(`${intake.url}/api/v2/debugger`, Buffer.concat([frame.head, file, frame.tail]), { 'Content-Type': frame.contentType })).status).toBe(202);
    expect((await post(`${intake.url}/api/v2/debugger`, SNAPSHOTS, { 'Content-Type': 'application/json' })).status).toBe(202);
    expect(intake.symdbUploads().map((u) => u.service)).toEqual(['cart']);
    expect(intake.debuggerUploads().map((u) => [u.path, u.items])).toEqual([['/api/v2/debugger', 2]]);
  });

  it('bad uploads: 400 with the reason, counted as bad_debugger_upload, nothing kept', async () => {
    const intake = await intakeFor();
    const cases: [string, Record<string, string>, RegExp][] = [
      ['[{"service":', { 'Content-Type': 'application/json' }, /is not JSON/],
      ['hello', { 'Content-Type': 'text/plain' }, /expected Content-Type application\/json or multipart\/form-data/],
      ['--x\r\nContent-Disposition: form-data; name="event"\r\n\r\n{oops\r\n--x--\r\n', { 'Content-Type': 'multipart/form-data; boundary=x' }, /the "event" part is not JSON/],
    ];
    for (const [body, headers, why] of cases) {
      const answer = await post(`${intake.url}/debugger/v2/input`, body, headers);
      expect(answer.status).toBe(400);
      expect((JSON.parse(answer.text) as { errors: string[] }).errors[0]).toMatch(why);
    }
    expect(intake.stats().dropped).toEqual({ bad_debugger_upload: cases.length });
    expect(intake.debuggerUploads()).toEqual([]);
  });
});
