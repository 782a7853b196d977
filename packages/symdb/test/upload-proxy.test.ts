import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commonConfigKeys, loadConfig } from '@agentkit/config';
import { symdbConfigKeys, symdbUploadSettings, uploadDirectory, UploadError } from '@agentkit/symdb';
import { makeTestCertificate, startTestIntake, startTestProxy, type TestIntake, type TestProxy } from '@agentkit/testing';
import { IntakeServer } from './support/intake-server.js';

const PASSWORD = 'symdb-pr0xy-pass';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function sources(): string {
  const root = mkdtempSync(join(tmpdir(), 'symdb-proxy-'));
  writeFileSync(join(root, 'app.js'), 'export function handler(event) {\n  return event.id;\n}\n');
  return root;
}

function settingsFrom(env: Record<string, string>): ReturnType<typeof symdbUploadSettings> {
  return symdbUploadSettings(loadConfig({ keys: [...commonConfigKeys, ...symdbConfigKeys], env: { DD_SERVICE: 'checkout', ...env } }));
}

async function proxy(options?: Parameters<typeof startTestProxy>[0]): Promise<TestProxy> {
  const started = await startTestProxy(options);
  cleanups.push(() => started.close());
  return started;
}

async function httpsIntake(): Promise<TestIntake> {
  const started = await startTestIntake({ tls: await makeTestCertificate() });
  cleanups.push(() => started.close());
  return started;
}

const FAST = { retry: { maxAttempts: 1 } };

describe('symbol database upload through a proxy', () => {
  it('posts to an http:// symdb_url through proxy.http (HTTP_PROXY), as the intake decodes it', async () => {
    const intake = await IntakeServer.start();
    cleanups.push(() => intake.close());
    const forward = await proxy();
    const settings = settingsFrom({ DD_SYMDB_URL: intake.url, HTTP_PROXY: forward.url }); // url is the symdb route already

    const summary = await uploadDirectory({ ...settings, ...FAST, directory: sources() });
    expect(summary.batches).toBe(1);
    expect(intake.requests).toHaveLength(1);
    expect(intake.requests[0]?.event['service']).toBe('checkout');
    expect(forward.requests).toEqual([
      expect.objectContaining({ kind: 'forward', method: 'POST', url: intake.url, status: 202 }),
    ]);
  });

  it('tunnels to an https:// destination with CONNECT, with the proxy’s credentials (DD_PROXY_HTTPS)', async () => {
    const intake = await httpsIntake();
    const connect = await proxy({ auth: { username: 'symdb', password: PASSWORD } });
    const settings = settingsFrom({ DD_SYMDB_URL: `${intake.url}/api/v2/debugger`, DD_PROXY_HTTPS: connect.url, DD_SKIP_SSL_VALIDATION: 'true' });

    await uploadDirectory({ ...settings, ...FAST, directory: sources() });
    expect(intake.requests.map((r) => r.path)).toEqual(['/api/v2/debugger']);
    expect(intake.requests[0]?.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(connect.requests).toEqual([
      expect.objectContaining({ kind: 'connect', target: `127.0.0.1:${intake.port}`, status: 200, proxyAuthorization: `Basic ${Buffer.from(`symdb:${PASSWORD}`).toString('base64')}` }),
    ]);
  });

  it('refuses a self-signed intake unless skip_ssl_validation, saying why and never the proxy password', async () => {
    const intake = await httpsIntake();
    const connect = await proxy({ auth: { username: 'symdb', password: PASSWORD } });
    const settings = settingsFrom({ DD_SYMDB_URL: `${intake.url}/api/v2/debugger`, HTTPS_PROXY: connect.url });

    const failed = uploadDirectory({ ...settings, ...FAST, directory: sources() });
    await expect(failed).rejects.toBeInstanceOf(UploadError);
    const error = (await failed.catch((e: unknown) => e)) as UploadError;
    expect(error.message).toMatch(/SELF_SIGNED|self-signed/);
    expect(error.message).toContain(`through the proxy http://symdb:********@127.0.0.1:${connect.port}`);
    expect(error.message).not.toContain(PASSWORD);
    expect(intake.requests).toHaveLength(0);
  });
});
