import type { Server } from 'node:http';

/**
 * Stops HTTP servers the way every local server of ours stops: no new connections, idle
 * keep-alive sockets closed at once, busy ones after their answer; when `signal` aborts, `onCut`
 * runs (to end responses a server holds on purpose) and every connection left is cut. Resolves
 * once every server has closed. One stop for the local intake, the status server and the APM
 * receiver.
 */
export async function closeHttpServers(servers: readonly Server[], signal: AbortSignal | undefined, onCut?: () => void): Promise<void> {
  const closed = Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  for (const server of servers) server.closeIdleConnections();
  const cut = (): void => {
    onCut?.();
    for (const server of servers) server.closeAllConnections();
  };
  if (signal?.aborted === true) cut();
  else signal?.addEventListener('abort', cut, { once: true });
  try {
    await closed;
  } finally {
    signal?.removeEventListener('abort', cut);
  }
}
