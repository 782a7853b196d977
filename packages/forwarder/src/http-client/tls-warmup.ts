import { proxyFor } from './proxy-route.js';
import type { HttpClientSettings } from './http-client-settings.js';
import { monotonicNowMs } from '@agentkit/core';

let rootStoreBuilt = false;

/**
 * True when a request to `origin` goes over TLS under `settings`: an `https:` origin, or any
 * origin reached through an `https:` proxy.
 */
export function usesTls(origin: string, settings: HttpClientSettings): boolean {
  return origin.startsWith('https:') || proxyFor(new URL(origin), settings)?.protocol === 'https:';
}

/**
 * Builds Node's store of root certificates ahead of the process's first TLS connection, and
 * returns how long that took (0 when done already, or when NODE_EXTRA_CA_CERTS had Node build
 * it at start). The first secure context of a process parses every bundled root certificate:
 * 16–19 ms of CPU on Node 20 here, against 0.2–0.6 ms for each later one, and the HTTP client
 * makes one at its first TLS connect; the store is shared by every context of the process, so a
 * throwaway context made now leaves that work out of the first send (docs/benchmarks.md, "Issue
 * 17 §1, exec's path to the spawn and from the program's exit to its own"). Synchronous (it
 * holds the event loop that long): call it where that is fine. Never throws.
 */
export function buildTlsRootStore(settings: HttpClientSettings): number {
  if (rootStoreBuilt) return 0;
  rootStoreBuilt = true;
  const startedMs = monotonicNowMs();
  try {
    // node:tls is loaded here, not at start: it is ~2.5 ms of modules, and the HTTP client needs it only at a first TLS connect.
    process.getBuiltinModule('node:tls').createSecureContext({ minVersion: settings.minTlsVersion });
  } catch {
    // A bad min_tls_version fails the same way at the first connect, where it is reported.
  }
  return monotonicNowMs() - startedMs;
}
