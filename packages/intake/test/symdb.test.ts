import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { constants, createGzip, gzipSync } from 'node:zlib';
import { commonConfigKeys, loadConfig } from '@agentkit/config';
import { multipartFrame, resolveSymdbDestination, symdbConfigKeys, uploadDirectory, type SymdbEvent } from '@agentkit/symdb';
import { IntakeErrorCode, multipartBoundary, parseMultipart, SYMDB_UPLOADS_KEPT, type LocalSymdbUpload } from '../src/index.js';
import { getJson, intakeFor, post } from './helpers.js';

function sourceTree(fileCount: number): string {
  const root = mkdtempSync(join(tmpdir(), 'intake-symdb-'));
  for (let i = 0; i < fileCount; i++) {
    const path = join(root, `src/mod-${String(i).padStart(2, '0')}.js`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `export class C${i} {\n  m(a) {\n    const b = a + 1;\n    return b;\n  }\n}\nexport function f${i}(x) {\n  return x * ${i};\n}\n`);
  }
  return root;
}

const EVENT: SymdbEvent = { service: 'svc', version: '1.2.3', env: 'dev', runtimeId: 'rt-1', uploadId: 'up-1', batchNum: 2, final: true, attachmentSize: 0 };

/** A batch framed exactly as @agentkit/symdb's uploader frames it. */
function batchBody(envelope: object, event: SymdbEvent = EVENT, gzip = true): { body: Buffer; contentType: string } {
  const json = Buffer.from(JSON.stringify(envelope));
  const file = gzip ? gzipSync(json) : json;
  const frame = multipartFrame({ ...event, attachmentSize: file.length });
  return { body: Buffer.concat([frame.head, file, frame.tail]), contentType: frame.contentType };
}

function scope(name: string, children: object[] = []): object {
  return { scope_type: 'module', name, source_file: `${name}.js`, start_line: 1, end_line: 9, has_injectible_lines: false, scopes: children };
}

describe('symbol database uploads', () => {
  it('the real uploader, aimed at the local intake the way `agentkit symdb` does it: every batch summarised', async () => {
    const intake = await intakeFor();
    const config = loadConfig({ keys: [...commonConfigKeys, ...symdbConfigKeys], env: { DD_LOCAL_INTAKE_PORT: String(intake.port) } });
    const destination = resolveSymdbDestination(config);
    expect(destination.kind).toBe('local_intake');
    const summary = await uploadDirectory({ directory: sourceTree(6), service: 'shop', version: '9.9.9', env: 'staging', destination, flushThresholdBytes: 700 });
    expect(summary.batches).toBeGreaterThan(1);

    const uploads = await getJson<LocalSymdbUpload[]>(`${intake.url}/api/local/symdb`);
    expect(uploads).toEqual(intake.symdbUploads());
    expect(uploads).toHaveLength(summary.batches);
    expect(uploads.map((u) => u.batchNum)).toEqual(Array.from({ length: summary.batches }, (_, i) => i + 1));
    expect(uploads.map((u) => u.final)).toEqual(uploads.map((_, i) => i === uploads.length - 1));
    for (const u of uploads) {
      expect(u).toMatchObject({ path: '/symdb/v1/input', service: 'shop', version: '9.9.9', env: 'staging', language: 'javascript', uploadId: summary.uploadId });
      expect(u.uncompressedBytes).toBeGreaterThan(0);
      expect(u.fileCount).toBe(u.scopeCount);
      expect(u.totalScopeCount).toBeGreaterThan(u.scopeCount);
    }
    expect(uploads.reduce((n, u) => n + u.scopeCount, 0)).toBe(summary.files);
    expect(uploads.reduce((n, u) => n + u.compressedBytes, 0)).toBe(summary.compressedBytes);
    expect(uploads.flatMap((u) => u.topLevelScopes).sort()).toEqual(Array.from({ length: 6 }, (_, i) => `src/mod-${String(i).padStart(2, '0')}.js`));
    expect(intake.stats().items).toEqual({ symdb: summary.batches });
  });

  it('the agentless route /api/v2/debugger is read the same way', async () => {
    const intake = await intakeFor();
    const summary = await uploadDirectory({
      directory: sourceTree(2),
      service: 'shop',
      version: '1',
      env: '',
      destination: { url: `${intake.url}/api/v2/debugger`, headers: { 'DD-API-KEY': 'k', 'DD-EVP-ORIGIN': 'agent-symdb' }, kind: 'agentless' },
    });
    expect(intake.symdbUploads()).toEqual([expect.objectContaining({ path: '/api/v2/debugger', service: 'shop', scopeCount: summary.files, final: true })]);
  });

  it('counts scopes at every depth and keeps the first 20 top-level names', async () => {
    const intake = await intakeFor();
    const scopes = Array.from({ length: 25 }, (_, i) => scope(`m${i}`, [scope(`m${i}.inner`, [scope(`m${i}.deep`)])]));
    const envelope = { service: 'svc', version: '1.2.3', env: 'dev', language: 'javascript', upload_id: 'up-1', batch_num: 2, scopes, final: true };
    const { body, contentType } = batchBody(envelope);
    expect((await post(`${intake.url}/symdb/v1/input`, body, { 'Content-Type': contentType })).status).toBe(202);
    const [upload] = intake.symdbUploads();
    expect(upload).toMatchObject({ service: 'svc', version: '1.2.3', env: 'dev', language: 'javascript', uploadId: 'up-1', batchNum: 2, final: true, scopeCount: 25, totalScopeCount: 75, fileCount: 25 });
    expect(upload?.topLevelScopes).toEqual(Array.from({ length: 20 }, (_, i) => `m${i}`));
    expect(upload?.uncompressedBytes).toBe(Buffer.byteLength(JSON.stringify(envelope)));
    expect(upload?.compressedBytes).toBe(gzipSync(JSON.stringify(envelope)).length);
  });

  it('a plain JSON file part and a missing event part are accepted (older tracers)', async () => {
    const intake = await intakeFor();
    const { body, contentType } = batchBody({ service: 'old', version: '0.1', language: 'python', scopes: [scope('a')] }, EVENT, false);
    expect((await post(`${intake.url}/symdb/v1/input`, body, { 'Content-Type': contentType })).status).toBe(202);
    const boundary = 'b0und4ry';
    const noEvent = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="file.gz"\r\nContent-Type: application/gzip\r\n\r\n` +
        `${JSON.stringify({ service: 'bare', version: '2', language: 'go', scopes: [] })}\r\n--${boundary}--\r\n`,
    );
    expect((await post(`${intake.url}/symdb/v1/input`, noEvent, { 'Content-Type': `multipart/form-data; boundary="${boundary}"` })).status).toBe(202);
    expect(intake.symdbUploads().map((u) => [u.service, u.language, u.scopeCount])).toEqual([
      ['old', 'python', 1],
      ['bare', 'go', 0],
    ]);
  });

  it('keeps the last 100 batches', async () => {
    const intake = await intakeFor();
    for (let i = 0; i < SYMDB_UPLOADS_KEPT + 3; i++) {
      const { body, contentType } = batchBody({ service: `s${i}`, version: '1', scopes: [] });
      expect((await post(`${intake.url}/symdb/v1/input`, body, { 'Content-Type': contentType })).status).toBe(202);
    }
    const uploads = intake.symdbUploads();
    expect(uploads).toHaveLength(SYMDB_UPLOADS_KEPT);
    expect(uploads[0]?.service).toBe('s3');
  });

  // Regression: the intake once gunzipped the whole file part under a 64 MiB bound and refused
  // (400) the 100 MB tree's batches, which Datadog's uploaders cut by compressed size only.
  it('accepts and counts a batch that inflates past 64 MiB (it is scanned, never held)', async () => {
    const intake = await intakeFor();
    const gzip = createGzip({ level: constants.Z_BEST_SPEED });
    const chunks: Buffer[] = [];
    gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
    const one = JSON.stringify({ ...scope('mod'), symbols: [{ name: 'x'.repeat(900), type: null, symbol_type: 'local', line: 1 }] });
    const count = Math.ceil((72 * 1024 * 1024) / one.length);
    gzip.write('{"service":"big","version":"1","env":"dev","language":"javascript","upload_id":"up-big","batch_num":1,"scopes":[');
    for (let i = 0; i < count; i++) gzip.write(i === 0 ? one : `,${one}`);
    gzip.end('],"final":true}');
    await new Promise((resolve) => gzip.once('end', resolve));
    const file = Buffer.concat(chunks);
    const frame = multipartFrame({ ...EVENT, attachmentSize: file.length });
    const answer = await post(`${intake.url}/symdb/v1/input`, Buffer.concat([frame.head, file, frame.tail]), { 'Content-Type': frame.contentType });
    expect(answer.status).toBe(202);
    const [upload] = intake.symdbUploads();
    expect(upload).toMatchObject({ service: 'big', uploadId: 'up-big', batchNum: 1, final: true, scopeCount: count, totalScopeCount: count, fileCount: 1, compressedBytes: file.length });
    expect(upload?.uncompressedBytes).toBeGreaterThan(64 * 1024 * 1024);
    expect(intake.stats().items).toEqual({ symdb: 1 });
  });

  it('bad uploads are answered 400 with the reason and counted as bad_multipart', async () => {
    const intake = await intakeFor();
    const good = batchBody({ service: 's', version: '1', scopes: [] });
    const cases: [Buffer, string, RegExp][] = [
      [good.body, 'application/json', /expected Content-Type multipart\/form-data/],
      [good.body.subarray(0, good.body.length - 30), good.contentType, /not closed by a delimiter|truncated/],
      [Buffer.from('no delimiter at all'), good.contentType, /no "--.*" delimiter/],
      [Buffer.from('--fixed-boundary-for-tests\r\nContent-Disposition: form-data; name="event"\r\n\r\n{}\r\n--fixed-boundary-for-tests--'), batchBodyWithFile(Buffer.from('')).contentType, /no "file" part/],
      [batchBodyWithFile(Buffer.from('{not json')).body, batchBodyWithFile(Buffer.from('')).contentType, /is not JSON/],
      [batchBodyWithFile(Buffer.from([0x1f, 0x8b, 1, 2, 3])).body, batchBodyWithFile(Buffer.from('')).contentType, /does not gunzip/],
    ];
    for (const [body, contentType, why] of cases) {
      const answer = await post(`${intake.url}/symdb/v1/input`, body, { 'Content-Type': contentType });
      expect(answer.status).toBe(400);
      expect((JSON.parse(answer.text) as { errors: string[] }).errors[0]).toMatch(why);
    }
    expect(intake.stats().dropped).toEqual({ bad_multipart: cases.length });
    expect(intake.symdbUploads()).toEqual([]);
  });
});

/** A fixed boundary, so two calls frame the same way. */
function batchBodyWithFile(file: Buffer): { body: Buffer; contentType: string } {
  const boundary = 'fixed-boundary-for-tests';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="file.gz"\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="event"; filename="event.json"\r\n\r\n{}\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('parseMultipart', () => {
  it('reads parts after a preamble, with transport padding, quoted parameters and binary data', () => {
    const data = Buffer.from([0, 1, 2, 13, 10, 45, 45, 255]);
    const body = Buffer.concat([
      Buffer.from('preamble to ignore\r\n--xyz  \r\nContent-Disposition: form-data; name="a \\"q\\""; filename="f;1.bin"\r\nContent-Type: application/octet-stream\r\n\r\n'),
      data,
      Buffer.from('\r\n--xyz\r\ncontent-disposition: FORM-DATA; name=plain\r\n\r\nvalue\r\n--xyz--\r\nepilogue'),
    ]);
    const parts = parseMultipart(body, 'xyz');
    expect(parts.map((p) => [p.name, p.filename, p.contentType])).toEqual([
      ['a "q"', 'f;1.bin', 'application/octet-stream'],
      ['plain', undefined, undefined],
    ]);
    expect(parts[0]?.data).toEqual(data);
    expect(parts[1]?.data.toString()).toBe('value');
  });

  it.each([
    ['a part without Content-Disposition', '--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--', /no Content-Disposition/],
    ['a part without a name', '--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--', /has no name/],
    ['a part that is not form-data', '--b\r\nContent-Disposition: attachment; name="x"\r\n\r\nx\r\n--b--', /not form-data/],
    ['no CRLF after the delimiter', '--bxx', /no CRLF/],
    ['headers that never end', '--b\r\nContent-Disposition: form-data; name="x"\r\n', /no end of headers/],
    ['a malformed header line', '--b\r\nnonsense\r\n\r\nx\r\n--b--', /malformed header/],
    ['only a closing delimiter', '--b--', /no parts/],
  ])('rejects %s with ERR_INTAKE_BAD_REQUEST', (_name, body, why) => {
    expect(() => parseMultipart(Buffer.from(body), 'b')).toThrow(expect.objectContaining({ code: IntakeErrorCode.BadRequest, message: expect.stringMatching(why) }));
  });

  it('rejects more than 64 parts', () => {
    const part = '--b\r\nContent-Disposition: form-data; name="x"\r\n\r\nx\r\n';
    expect(() => parseMultipart(Buffer.from(`${part.repeat(65)}--b--`), 'b')).toThrow(/more than 64 parts/);
  });

  it('finds the boundary of a multipart/form-data Content-Type only', () => {
    expect(multipartBoundary('multipart/form-data; boundary=abc')).toBe('abc');
    expect(multipartBoundary('Multipart/Form-Data;charset=utf-8; boundary="a b;c"')).toBe('a b;c');
    expect(multipartBoundary('multipart/mixed; boundary=abc')).toBeUndefined();
    expect(multipartBoundary('multipart/form-data')).toBeUndefined();
    expect(multipartBoundary(`multipart/form-data; boundary=${'x'.repeat(71)}`)).toBeUndefined();
    expect(multipartBoundary(undefined)).toBeUndefined();
  });
});
