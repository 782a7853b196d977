import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CommandIO } from '@agentkit/agent';
import { IntakeServer } from './support/intake-server.js';

const servers: IntakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function collect(env: Record<string, string>): CommandIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t) => out.push(t), stderr: (t) => err.push(t), env: { DD_LOG_LEVEL: 'off', ...env } };
}

function project(): string {
  const root = mkdtempSync(join(tmpdir(), 'symdb-cli-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'shop-api' }));
  writeFileSync(join(root, 'index.js'), 'export function main(argv) {\n  return argv.length;\n}\n');
  writeFileSync(join(root, 'util.ts'), 'export const twice = (n: number): number => n * 2;\n');
  return root;
}

describe('agentkit symdb upload', () => {
  it('uploads with flags over DD_* defaults and prints a one-line summary when stderr is not a terminal', async () => {
    const server = await IntakeServer.start();
    servers.push(server);
    const io = collect({ DD_SYMDB_URL: server.url, DD_SERVICE: 'from-env', DD_VERSION: '1.0.0', DD_ENV: 'prod' });
    const code = await main(['symdb', 'upload', project(), '--env', 'qa', '--progress', 'never'], io);
    expect(io.err.join('')).toBe('');
    expect(code).toBe(0);
    expect(io.out.join('')).toMatch(/^symdb: 2 files, 4 scopes, 1 batch, \d+ B gzip to http:\/\/127\.0\.0\.1:\d+\/symdb\/v1\/input in [\d.]+ s \(upload_id [0-9a-f-]{36}, parser oxc\)\n$/);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.envelope).toMatchObject({ service: 'from-env', version: '1.0.0', env: 'qa', final: true });
  });

  it('defaults the service to package.json, and draws a progress bar on request', async () => {
    const server = await IntakeServer.start();
    servers.push(server);
    const io = collect({ DD_SYMDB_URL: server.url });
    expect(await main(['symdb', 'upload', project(), '--progress', 'always'], io)).toBe(0);
    expect(server.requests[0]?.envelope.service).toBe('shop-api');
    const bar = io.err.join('');
    expect(bar).toContain('\r\x1b[K[');
    expect(bar).toMatch(/100% 2\/2 files · 4 scopes · \d+ B gzip · 1 batches\n$/);
  });

  it('exits 1 with a hint when the local intake is not running', async () => {
    const server = await IntakeServer.start();
    const port = new URL(server.url).port;
    await server.close();
    const io = collect({ DD_LOCAL_INTAKE_PORT: port });
    const code = await main(['symdb', 'upload', project(), '--progress', 'never'], io);
    expect(code).toBe(1);
    expect(io.err.join('')).toContain('No local intake is listening');
  }, 30_000);

  it('exits 2 for a bad command line', async () => {
    for (const argv of [['symdb'], ['symdb', 'download', '.'], ['symdb', 'upload'], ['symdb', 'upload', '.', '--progress', 'maybe']]) {
      const io = collect({});
      expect(await main(argv, io)).toBe(2);
      expect(io.err.join('')).toContain("Run 'agentkit symdb --help' for usage.");
    }
  });
});
