import { afterEach, describe, expect, it } from '@jest/globals';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { detectCloudService, lookupCloudMetadata } from '../src/index.js';

interface MetadataServer {
  readonly host: string;
  readonly baseUrl: string;
  readonly requests: { path: string; headers: IncomingHttpHeaders }[];
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** A real HTTP server answering like Google's metadata server; `hang` paths never answer. */
async function startMetadataServer(values: Record<string, string>, hang: readonly string[] = []): Promise<MetadataServer> {
  const requests: MetadataServer['requests'] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '').replace('/computeMetadata/v1', '');
    requests.push({ path, headers: req.headers });
    if (hang.includes(path)) return; // never answered: the client must give up on its own
    const value = values[path];
    if (req.headers['metadata-flavor'] !== 'Google' || value === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/text' }).end(value);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { host, baseUrl: `http://${host}/computeMetadata/v1`, requests };
}

const GOOGLE = { '/instance/id': 'ABC123def', '/instance/region': 'projects/1234/regions/europe-west1', '/project/project-id': 'My-Project' };

describe('lookupCloudMetadata', () => {
  it('resolves [] at once, making no request, when not on Cloud Run', async () => {
    let calls = 0;
    const fetchImpl: typeof fetch = () => {
      calls++;
      return Promise.reject(new Error('must not be called'));
    };
    for (const env of [{}, { CONTAINER_APP_NAME: 'a' }, { WEBSITE_STACK: 'NODE' }]) {
      const pending = lookupCloudMetadata(detectCloudService(env), { fetchImpl });
      // Settled already: one turn of the microtask queue is enough.
      let settled = false;
      void pending.then(() => (settled = true));
      await Promise.resolve();
      await Promise.resolve();
      expect(settled).toBe(true);
      expect(await pending).toEqual([]);
    }
    expect(calls).toBe(0);
  });

  it('reads container id, region and project from the metadata server, with the Metadata-Flavor header', async () => {
    const server = await startMetadataServer(GOOGLE);
    const cloud = detectCloudService({ K_SERVICE: 'checkout' });
    const tags = await lookupCloudMetadata(cloud, { baseUrl: server.baseUrl, timeoutMs: 5000 });
    expect([...tags].sort()).toEqual(
      [
        'container_id:abc123def',
        'gcr.container_id:abc123def',
        'location:europe-west1',
        'gcr.location:europe-west1',
        'project_id:my-project',
        'gcr.project_id:my-project',
        'gcr.resource_name:projects/my-project/locations/europe-west1/services/checkout',
      ].sort(),
    );
    expect(server.requests.map((r) => r.path).sort()).toEqual(['/instance/id', '/instance/region', '/project/project-id']);
    expect(server.requests.every((r) => r.headers['metadata-flavor'] === 'Google')).toBe(true);
  });

  it('finds the server through GCE_METADATA_HOST, as Google\'s clients do', async () => {
    const server = await startMetadataServer(GOOGLE);
    const tags = await lookupCloudMetadata(detectCloudService({ K_SERVICE: 's' }), { env: { GCE_METADATA_HOST: server.host }, timeoutMs: 5000 });
    expect(tags).toContain('project_id:my-project');
  });

  it('names a job\'s resource under gcrj.', async () => {
    const server = await startMetadataServer(GOOGLE);
    const tags = await lookupCloudMetadata(detectCloudService({ CLOUD_RUN_JOB: 'nightly' }), { baseUrl: server.baseUrl, timeoutMs: 5000 });
    expect(tags).toEqual(expect.arrayContaining(['gcrj.container_id:abc123def', 'gcrj.resource_name:projects/my-project/locations/europe-west1/jobs/nightly']));
  });

  it('resolves with what answered when one value hangs, after the timeout', async () => {
    const server = await startMetadataServer(GOOGLE, ['/instance/id']);
    const tags = await lookupCloudMetadata(detectCloudService({ K_SERVICE: 's' }), { baseUrl: server.baseUrl, timeoutMs: 1000 });
    expect(tags).toContain('project_id:my-project');
    expect(tags.some((t) => t.includes('container_id'))).toBe(false);
  });

  it('resolves [] after the timeout when the server never answers', async () => {
    const server = await startMetadataServer(GOOGLE, Object.keys(GOOGLE));
    await expect(lookupCloudMetadata(detectCloudService({ K_SERVICE: 's' }), { baseUrl: server.baseUrl, timeoutMs: 100 })).resolves.toEqual([]);
  });

  it('resolves [] when there is no metadata server (connection refused), and on error statuses', async () => {
    const refused = await lookupCloudMetadata(detectCloudService({ K_SERVICE: 's' }), { baseUrl: 'http://127.0.0.1:1/computeMetadata/v1' });
    expect(refused).toEqual([]);
    const server = await startMetadataServer({});
    expect(await lookupCloudMetadata(detectCloudService({ K_SERVICE: 's' }), { baseUrl: server.baseUrl, timeoutMs: 5000 })).toEqual([]);
  });

  it('stops when its signal aborts', async () => {
    const server = await startMetadataServer(GOOGLE, Object.keys(GOOGLE));
    const controller = new AbortController();
    const pending = lookupCloudMetadata(detectCloudService({ K_SERVICE: 's' }), { baseUrl: server.baseUrl, timeoutMs: 60_000, signal: controller.signal });
    await new Promise<void>((resolve) => {
      const poll = (): void => (server.requests.length === 3 ? resolve() : void setTimeout(poll, 5));
      poll();
    });
    controller.abort();
    await expect(pending).resolves.toEqual([]);
  });

  it('never throws, even when fetch itself throws synchronously', async () => {
    const fetchImpl = (() => {
      throw new TypeError('boom');
    }) as unknown as typeof fetch;
    await expect(lookupCloudMetadata(detectCloudService({ K_SERVICE: 's' }), { fetchImpl })).resolves.toEqual([]);
  });
});
