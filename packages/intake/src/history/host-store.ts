import type { DecodedHostMetadata } from '@agentkit/serializer';
import type { LocalHost } from '../local-intake/local-intake.def.js';

/** Hosts kept: one agent is one host; more than this is a fleet, which a local intake is not for. */
export const HOSTS_KEPT = 100;

/**
 * The latest host metadata per host (`internalHostname`). A host that reports again moves to
 * the end; past `HOSTS_KEPT` the one that reported least recently is pushed out.
 */
export class HostStore {
  readonly #byName = new Map<string, LocalHost>();

  /** Keeps `payload` as its host's latest; returns true when another host was pushed out. */
  public add(payload: DecodedHostMetadata, receivedAtMs: number): boolean {
    const hostname = payload.internalHostname;
    const previous = this.#byName.get(hostname);
    const tagsBySource: Record<string, readonly string[]> = {};
    for (const [source, list] of Object.entries(payload['host-tags'])) if (list !== undefined) tagsBySource[source] = [...list];
    this.#byName.delete(hostname);
    this.#byName.set(hostname, {
      receivedAtMs,
      hostname,
      agentVersion: typeof payload.agentVersion === 'string' ? payload.agentVersion : '',
      os: typeof payload.os === 'string' ? payload.os : '',
      tags: tagsBySource['system'] ?? [],
      tagsBySource,
      payloads: (previous?.payloads ?? 0) + 1,
    });
    if (this.#byName.size <= HOSTS_KEPT) return false;
    const oldest = this.#byName.keys().next().value as string;
    this.#byName.delete(oldest);
    return true;
  }

  /** Least recently reported first. */
  public list(): LocalHost[] {
    return [...this.#byName.values()];
  }

  public get size(): number {
    return this.#byName.size;
  }
}
