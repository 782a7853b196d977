import type { Config } from '@agentkit/config';
import { setFlagsFromString } from 'node:v8';
import { agentKeys } from './config-keys.js';
import { HeapReclaimer, processHeapProbe } from './heap-reclaimer.js';

/**
 * After each full collection V8 lets the old generation grow to this much over what survived
 * it before the next (its own factor is 1.1–4, up to 4 when collections are quick, as they are
 * for an agent's heap). Read by V8 at each collection, so it works set at run time.
 */
const HEAP_GROWING_PERCENT = 25;

let reclaimer: HeapReclaimer | undefined;

/**
 * V8 settings for the commands that run the pipeline (`run`, `exec`): process-wide, so set by
 * the command once the configuration is loaded and before the pipeline starts anything. Only
 * flags V8 reads while running can be set here; heap sizes (`--max-semi-space-size`,
 * `--max-old-space-size`) are fixed when the process starts and would need Node's command line,
 * which neither the npm bin nor the Node 20 single executable passes (docs/benchmarks.md,
 * "Issue 14 §3, V8's heap for an agent"). Calling it again does not start a second reclaimer.
 *
 * `--liftoff-only`: undici's HTTP parser is WebAssembly (llhttp), which V8 compiles a second
 * time with TurboFan in the background. That compile is `agentkit run`'s start-up high-water
 * mark (VmHWM 110 → 75 MB without it), and a short task under `exec` that exits right after the
 * first send waits for it (~100 ms). The baseline (Liftoff) code parses the agent's few
 * responses per flush fast enough.
 *
 * `heap_tuning_enabled` (default true): `--heap-growing-percent=25`, and a `HeapReclaimer`
 * that collects the garbage a burst of contexts and each flush leave once they are over,
 * instead of V8's schedule (which waits for several times the live heap, and for 64 MB of
 * Buffers).
 */
export function applyAgentV8Flags(config: Config | undefined): void {
  setFlagsFromString('--liftoff-only');
  // No configuration (exec with an invalid one): no pipeline either, so nothing to reclaim.
  if (config === undefined || !config.get(agentKeys.heapTuning) || reclaimer !== undefined) return;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  reclaimer = new HeapReclaimer(processHeapProbe());
  reclaimer.start();
}

/** The reclaimer `applyAgentV8Flags` started, if it did (for status and tests). */
export function agentHeapReclaimer(): HeapReclaimer | undefined {
  return reclaimer;
}
