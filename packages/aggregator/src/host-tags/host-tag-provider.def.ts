import { token } from '@agentkit/core';

/**
 * The host tags to put on every metric right now (the Agent's HostTagProvider): undefined when
 * none are, so the flush costs nothing. Callable at any time; never blocks.
 */
export interface HostTagProvider {
  hostTags(): readonly string[] | undefined;
}

/**
 * Optional: bind it to choose the demultiplexer's host tags (tests give one on a fake clock).
 * Unbound, the demultiplexer follows `expected_tags_duration`.
 */
export const HOST_TAG_PROVIDER = token<HostTagProvider>('HostTagProvider');
