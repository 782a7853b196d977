/**
 * The agent-payload version sent in `DD-Agent-Payload` on protobuf payloads. The Datadog Agent
 * stamps the version of the agent-payload module it was built with; agentkit writes the same
 * schema (major version 5).
 */
export const AGENT_PAYLOAD_VERSION = 'v5.0.0';

export const PROTOBUF_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Type': 'application/x-protobuf',
  'DD-Agent-Payload': AGENT_PAYLOAD_VERSION,
});

export const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'Content-Type': 'application/json' });
