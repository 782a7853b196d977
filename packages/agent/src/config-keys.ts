// Each package's keys alone (its ./config-keys entry): loading the configuration must not load
// the packages themselves (agentkit exec loads the pipeline after its program started).
import { aggregatorConfigKeys } from '@agentkit/aggregator/config-keys';
import { apmConfigKeys } from '@agentkit/apm/config-keys';
import { commonConfigKeys, defineKey, type AnyConfigKey } from '@agentkit/config';
import { debuggerConfigKeys } from '@agentkit/debugger/config-keys';
import { dogstatsdConfigKeys } from '@agentkit/dogstatsd/config-keys';
import { forwarderConfigKeys } from '@agentkit/forwarder/config-keys';
import { intakeConfigKeys } from '@agentkit/intake/config-keys';
import { logConfigKeys } from '@agentkit/log/config-keys';
import { logsConfigKeys } from '@agentkit/logs/config-keys';
import { metadataConfigKeys } from '@agentkit/metadata/config-keys';
import { serializerConfigKeys } from '@agentkit/serializer/config-keys';
import { serverlessConfigKeys } from '@agentkit/serverless/config-keys';
import { symdbConfigKeys } from '@agentkit/symdb/config-keys';
import { statusConfigKeys } from './status/config-keys.js';

/** The agent's own keys (its V8 settings, see agent-v8-flags.ts). */
export const agentKeys = {
  heapTuning: defineKey({
    key: 'heap_tuning_enabled',
    datadog: { kind: 'agentkit' },
    type: 'boolean',
    default: true,
    doc: "V8 heap settings of `agentkit run` and `agentkit exec`, for a small process: after each full collection V8's old generation may grow only 25 % over what survived it (`--heap-growing-percent=25`, set at start; V8's own factor reaches 4× for a heap it collects quickly, so the garbage of a burst of new contexts and of each flush stayed resident). At 100k contexts each with its own tag set (`bench/memory`), peak RSS through two flushes is ~20 % lower (284 → 225 MB) and the largest rise during a flush ~35 % lower (64 → 41 MB), for ~23 % more CPU of the agent over that run (V8 collects more often); aggregating known contexts costs no measurable CPU more (docs/benchmarks.md, \"Issue 14 §3, V8's heap for an agent\"). Under `agentkit exec` with `symbol_database_upload_enabled`, V8's young generation is also held at its size while the upload runs (`--semi-space-growth-factor=1`, V8's 2 again after it): a long upload otherwise grows it to 2 × 16 MiB for the rest of the run; the 100 MB tree's upload adds ~23 MB to the wrapper's peak instead of ~57 (docs/benchmarks.md, \"Issue 14 §4, the symdb upload's young generation\"). `agentkit run` also holds V8 from its start until 1 s after it is ready: no TurboFan or Sparkplug compiles and a young generation that does not grow (`--no-opt`, `--no-sparkplug`, `--semi-space-growth-factor=1`, V8's own again after): what the start leaves would stay resident, and idle RSS is ~3.5 MB lower (docs/benchmarks.md, \"Issue 14 §3, the idle agent\"); datagrams that arrive meanwhile are handled by V8's interpreter. At the end of that hold V8 favours memory for 2 s (`--optimize-for-size`), so that its memory reducer, which looks 2 s into the start instead of V8's 8 s (`--gc-memory-reducer-start-delay-ms=2000`, set by the npm bin and the single executable for every command before the bundle is compiled, so before this key is read: without the hold's end, the look finds the start still allocating and V8 puts it off by 8 s, as it does with its own delay), gives back then what only the start needed (its garbage and the pages it filled): idle RSS 3 s after start ~2.9 MB lower, no lower once V8 has run its own, ~9 s in (docs/benchmarks.md, \"Issue 14 §3, what the idle agent's own code holds\"). From then on, `agentkit run` gives V8's young generation back once the agent goes quiet after traffic: a burst grows it to 2 × 16 MiB and V8 shrinks it only at a collection, which a quiet agent does not have, so two scavenges are asked for when the allocation rate is below V8's own shrink threshold (1 000 bytes/ms), the second one V8's 5 s throughput window after the first (32 → 1 MiB); and every flush holds the young generation at its size while its payloads are encoded. At 100k contexts each with its own tag set the RSS before a flush is ~30 MB lower and the peak through two flushes ~24 MB lower (190.6 → 166.8 MB with the embedded intake, 169.8 → 145.0 for the agent alone), for ~3 % more CPU of the agent alone over that run and ~15 % with the embedded intake, which decodes the payloads while the hold is on (docs/benchmarks.md, \"Issue 14 §3, the young generation after a burst and during a flush\"). `false` leaves V8's defaults. Heap sizes (`--max-semi-space-size`, `--max-old-space-size`) can only be set when Node starts: give them in `NODE_OPTIONS`, which the single executable reads too.",
  }),
} as const;

/** The agent's own keys as a collection. */
export const agentOwnConfigKeys: readonly AnyConfigKey[] = Object.freeze(Object.values(agentKeys) as AnyConfigKey[]);

/**
 * Every key the agent reads, in documentation order. Each package declares its own keys; a
 * package added to the agent adds its collection here (docs/configuration.md is generated
 * from this list, and a test fails when the file is stale). A key object shared by two
 * collections (e.g. `service`) is listed once.
 */
export const allConfigKeys: readonly AnyConfigKey[] = Object.freeze([
  ...new Set([
    ...commonConfigKeys,
    ...logConfigKeys,
    ...dogstatsdConfigKeys,
    ...aggregatorConfigKeys,
    ...serializerConfigKeys,
    ...forwarderConfigKeys,
    ...metadataConfigKeys,
    ...statusConfigKeys,
    ...intakeConfigKeys,
    ...serverlessConfigKeys,
    ...symdbConfigKeys,
    ...debuggerConfigKeys,
    ...apmConfigKeys,
    ...logsConfigKeys,
    ...agentOwnConfigKeys,
  ]),
]);
