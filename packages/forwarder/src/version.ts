import { AGENTKIT_VERSION } from '@agentkit/core';

export { AGENTKIT_VERSION };

/** `agentkit/<version>`, sent as `User-Agent` (with `DD-Agent-Version: <version>`). */
export const USER_AGENT = `agentkit/${AGENTKIT_VERSION}`;
