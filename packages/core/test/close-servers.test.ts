import { describe, expect, it } from '@jest/globals';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeHttpServers } from '@agentkit/core';

/** A server on 127.0.0.1 that answers /fast at once and never answers /hang. */
async function startServer(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (req.url === '/fast') res.end('ok');
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A GET on a keep-alive connection; resolves to its status, or to the error's code. */
function get(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(url, { headers: { Connection: 'keep-alive' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
}

describe('closeHttpServers', () => {
  it('closes idle keep-alive connections at once: the close does not wait for their timeout', async () => {
    const { server, url } = await startServer();
    expect(await get(`${url}/fast`)).toBe(200);
    await closeHttpServers([server], AbortSignal.timeout(30_000));
    expect(server.listening).toBe(false);
  });

  it('cuts a connection still busy when the signal aborts, after running onCut', async () => {
    const { server, url } = await startServer();
    const hanging = get(`${url}/hang`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const controller = new AbortController();
    const cuts: string[] = [];
    const closing = closeHttpServers([server], controller.signal, () => cuts.push('cut'));
    controller.abort();
    await closing;
    expect(cuts).toEqual(['cut']);
    expect(await hanging).toBe('ECONNRESET');
  });

  it('cuts at once with a signal that has already aborted', async () => {
    const { server, url } = await startServer();
    const hanging = get(`${url}/hang`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await closeHttpServers([server], AbortSignal.abort());
    expect(await hanging).toBe('ECONNRESET');
  });
});
