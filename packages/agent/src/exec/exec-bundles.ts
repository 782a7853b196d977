import { bundle, provide, type Bundle, type ConfigReader, type Replacement, type Token } from '@agentkit/core';
import { FORWARDER } from '@agentkit/forwarder';
import { serverlessBundle } from '@agentkit/serverless';
import type { CloudService } from '@agentkit/serverless/setup';
import { symdbUploadEnabled } from '@agentkit/symdb/config-keys';
import { holdYoungGeneration } from '../agent-v8-flags.js';
import { agentKeys } from '../config-keys.js';
import { defaultAgentBundles } from '../default-agent.js';

/**
 * What `agentkit exec`'s app is built from: the default agent, serverless-init's layer (enhanced
 * metrics, tags), symdb when `symbol_database_upload_enabled` asks for it (the program's working
 * directory is ours; with `heap_tuning_enabled`, V8's young generation is held at its size while
 * the upload runs: docs/benchmarks.md, "Issue 14 §4, the symdb upload's young generation"), and
 * `more` (the logs bundle, the prebound sockets).
 *
 * Its own module, imported by exec-runner.ts with `import()`, so that the CLI's bundle puts the
 * pipeline's packages (listeners, aggregator, serializer, forwarder, …) in chunks that load
 * only here: with prebound listeners that is after the program started, beside it, instead of
 * before it (docs/benchmarks.md, "Lean start"). Nothing else of the exec path may import them.
 */
export async function execBundles(config: ConfigReader, cloud: CloudService, more: readonly (Bundle | undefined)[]): Promise<(Bundle | Replacement)[]> {
  return [
    ...(await defaultAgentBundles(config)),
    serverlessBundle(cloud),
    ...(symdbUploadEnabled(config) ? await symdbBundles(config) : []),
    ...more.filter((b): b is Bundle => b !== undefined),
  ];
}

async function symdbBundles(config: ConfigReader): Promise<Bundle[]> {
  const { symdbBundle, SYMDB_UPLOAD_HEAP_SCOPE } = await import('@agentkit/symdb');
  if (!config.get(agentKeys.heapTuning)) return [symdbBundle];
  return [symdbBundle, bundle('symdb-heap', [provide(SYMDB_UPLOAD_HEAP_SCOPE, { useValue: { enter: holdYoungGeneration } })])];
}

/**
 * Readies the pipeline's first send (`Forwarder.prepare`: the HTTP client, and TLS's root
 * certificates for an https intake) once the program runs, so that a short task's last send,
 * after the program's exit, does not pay for it. Here rather than in exec-pipeline.ts: the
 * forwarder's token must not bring its package into the exec path before the spawn.
 */
export function prepareFirstSend(pipeline: { find<T>(token: Token<T>): T | undefined }): void {
  pipeline.find(FORWARDER)?.prepare?.();
}
