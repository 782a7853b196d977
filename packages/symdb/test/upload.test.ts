import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadConfig, commonConfigKeys } from '@agentkit/config';
import {
  GzipBatchEncoder,
  HttpBatchSender,
  resolveSymdbDestination,
  symdbConfigKeys,
  SymdbEncodeError,
  uploadDirectory,
  UploadError,
  type SymdbDestination,
} from '@agentkit/symdb';
import { IntakeServer } from './support/intake-server.js';

const FAST_RETRY = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 };
const servers: IntakeServer[] = [];

async function intake(statuses: number[] = []): Promise<IntakeServer> {
  const server = await IntakeServer.start(statuses);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function destination(url: string): SymdbDestination {
  return { url, headers: { 'DD-EVP-ORIGIN': 'agent-symdb' }, kind: 'symdb_url' };
}

function tree(fileCount: number): string {
  const root = mkdtempSync(join(tmpdir(), 'symdb-upload-'));
  for (let i = 0; i < fileCount; i++) {
    const path = join(root, `src/mod-${String(i).padStart(3, '0')}.js`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `export function f${i}(a, b) {\n  const sum = a + b;\n  return sum * ${i};\n}\n`);
  }
  writeFileSync(join(root, 'broken.js'), 'function (');
  return root;
}

describe('uploadDirectory against a real intake', () => {
  it('posts multipart batches the intake decodes: file part first, then the event', async () => {
    const server = await intake();
    const summary = await uploadDirectory({
      directory: tree(5),
      service: 'checkout',
      version: '2.0.1',
      env: 'staging',
      destination: destination(server.url),
      runtimeId: 'runtime-1',
      flushThresholdBytes: 2 * 1024 * 1024,
    });
    expect(summary).toMatchObject({ files: 6, filesFailed: 1, batches: 1, scopesDropped: 0, parser: 'oxc' });
    expect(server.requests).toHaveLength(1);
    const request = server.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/symdb/v1/input');
    expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(request.headers['dd-evp-origin']).toBe('agent-symdb');
    expect(Number(request.headers['content-length'])).toBe(request.body.length);
    expect(request.parts.map((p) => [p.name, p.filename, p.contentType])).toEqual([
      ['file', 'file.gz', 'application/gzip'],
      ['event', 'event.json', 'application/json'],
    ]);
    expect(request.event).toEqual({
      ddsource: 'dd_debugger',
      service: 'checkout',
      version: '2.0.1',
      env: 'staging',
      language: 'javascript',
      runtimeId: 'runtime-1',
      type: 'symdb',
      uploadId: summary.uploadId,
      batchNum: 1,
      final: true,
      attachmentSize: request.parts[0]!.data.length,
    });
    expect(request.envelope).toMatchObject({ service: 'checkout', version: '2.0.1', env: 'staging', language: 'javascript', upload_id: summary.uploadId, batch_num: 1, final: true });
    expect(request.envelope.scopes.map((s) => s.name)).toEqual(['src/mod-000.js', 'src/mod-001.js', 'src/mod-002.js', 'src/mod-003.js', 'src/mod-004.js']);
    expect(request.envelope.scopes[0]).toMatchObject({
      scope_type: 'module',
      source_file: 'src/mod-000.js',
      scopes: [{ scope_type: 'function', name: 'f0', start_line: 1, end_line: 4, symbols: [{ name: 'a' }, { name: 'b' }, { name: 'sum', line: 2 }] }],
    });
  });

  it.each([0, 600])('splits an upload into numbered batches at threshold %d, final only on the last', async (threshold) => {
    const server = await intake();
    const summary = await uploadDirectory({ directory: tree(12), service: 's', version: 'v', env: 'e', destination: destination(server.url), flushThresholdBytes: threshold });
    const batches = server.requests;
    expect(batches.length).toBe(summary.batches);
    expect(batches.length).toBeGreaterThan(1);
    if (threshold === 0) expect(batches.every((b) => b.envelope.scopes.length === 1)).toBe(true);
    else for (const b of batches) expect(b.parts[0]!.data.length).toBeLessThanOrEqual(threshold);
    expect(batches.map((b) => [b.envelope.batch_num, b.event['batchNum']])).toEqual(batches.map((_, i) => [i + 1, i + 1]));
    expect(batches.map((b) => [b.envelope.final, b.event['final']])).toEqual(batches.map((_, i) => [i === batches.length - 1, i === batches.length - 1]));
    expect(new Set(batches.map((b) => b.envelope.upload_id))).toEqual(new Set([summary.uploadId]));
    expect(batches.flatMap((b) => b.envelope.scopes)).toHaveLength(12);
  });

  it('retries a batch answered 5xx and sends the same body again until a 2xx', async () => {
    const server = await intake([503, 500]);
    const summary = await uploadDirectory({ directory: tree(3), service: 's', version: 'v', env: 'e', destination: destination(server.url), retry: FAST_RETRY });
    expect(summary.batches).toBe(1);
    expect(server.requests.map((r) => r.status)).toEqual([503, 500, 202]); // then the intake's own answer
    const [first, ...rest] = server.requests.map((r) => r.body);
    for (const body of rest) expect(body.equals(first!)).toBe(true);
  });

  it('gives up after its attempts with an UploadError carrying the status', async () => {
    const server = await intake([502, 502, 502, 502, 502]);
    const error = await uploadDirectory({ directory: tree(1), service: 's', version: 'v', env: 'e', destination: destination(server.url), retry: FAST_RETRY }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UploadError);
    expect(error).toMatchObject({ code: 'ERR_SYMDB_UPLOAD', status: 502, retryable: true, attempts: 4 });
    expect(server.requests).toHaveLength(4);
  });

  it('does not retry a 4xx other than 408 and 429', async () => {
    const server = await intake([403]);
    const error = await uploadDirectory({ directory: tree(1), service: 's', version: 'v', env: 'e', destination: destination(server.url), retry: FAST_RETRY }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_SYMDB_UPLOAD', status: 403, retryable: false, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('retries when nothing listens, then fails with a status-less UploadError', async () => {
    const server = await intake();
    const url = server.url;
    await server.close();
    const error = await uploadDirectory({ directory: tree(1), service: 's', version: 'v', env: 'e', destination: destination(url), retry: { ...FAST_RETRY, maxAttempts: 2 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UploadError);
    expect(error).toMatchObject({ status: undefined, retryable: true, attempts: 2 });
  });

  it('does not retry an encoder error: the bad scope is never sent, the batch before it is', async () => {
    const server = await intake();
    const sender = new HttpBatchSender({ destination: destination(server.url), service: 's', version: 'v', env: 'e', runtimeId: 'r', uploadId: 'u', retry: FAST_RETRY });
    const encoder = new GzipBatchEncoder({ identity: { service: 's', version: 'v', env: 'e', uploadId: 'u' }, flushThresholdBytes: 0, sink: sender });
    await encoder.add({ scope_type: 'module', name: 'ok' });
    const error = await encoder.add({ scope_type: 'module', name: 'bad', circular: 10n }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SymdbEncodeError);
    expect(error).not.toBeInstanceOf(UploadError);
    await encoder.flush(true);
    expect(server.requests.map((r) => r.envelope.scopes.map((s) => s.name))).toEqual([['ok']]);
  });

  it('reports progress per file and per batch', async () => {
    const server = await intake();
    const seen: number[] = [];
    await uploadDirectory({ directory: tree(4), service: 's', version: 'v', env: 'e', destination: destination(server.url), flushThresholdBytes: 0, onProgress: (p) => seen.push(p.batches) });
    expect(seen.at(-1)).toBe(4);
    expect(seen.length).toBeGreaterThanOrEqual(5);
  });

  it('rejects a directory that does not exist with ERR_SYMDB_DIRECTORY', async () => {
    await expect(uploadDirectory({ directory: '/nonexistent/symdb', service: 's', version: 'v', env: 'e', destination: destination('http://127.0.0.1:1/') })).rejects.toMatchObject({
      code: 'ERR_SYMDB_DIRECTORY',
    });
  });
});

describe('resolveSymdbDestination', () => {
  const keys = [...commonConfigKeys, ...symdbConfigKeys];

  it('uses symdb_url first, then the agentless intake of site with an API key, else the local intake', () => {
    const key = '0123456789abcdef0123456789abcdef';
    expect(resolveSymdbDestination(loadConfig({ keys, env: { DD_SYMDB_URL: 'http://proxy:9/x', DD_API_KEY: key } }))).toEqual({
      url: 'http://proxy:9/x',
      headers: { 'DD-EVP-ORIGIN': 'agent-symdb', 'DD-API-KEY': key },
      kind: 'symdb_url',
    });
    expect(resolveSymdbDestination(loadConfig({ keys, env: { DD_API_KEY: key, DD_SITE: 'datadoghq.eu' } }))).toEqual({
      url: 'https://debugger-intake.datadoghq.eu/api/v2/debugger',
      headers: { 'DD-EVP-ORIGIN': 'agent-symdb', 'DD-API-KEY': key },
      kind: 'agentless',
    });
    expect(resolveSymdbDestination(loadConfig({ keys, env: {} }))).toEqual({
      url: 'http://127.0.0.1:8127/symdb/v1/input',
      headers: { 'DD-EVP-ORIGIN': 'agent-symdb' },
      kind: 'local_intake',
    });
    expect(resolveSymdbDestination(loadConfig({ keys, env: { DD_LOCAL_INTAKE_PORT: '9000' } })).url).toBe('http://127.0.0.1:9000/symdb/v1/input');
  });
});
