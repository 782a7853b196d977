import { setFlagsFromString } from 'node:v8';

/**
 * V8 settings for the commands that run the pipeline (`run`, `exec`): process-wide, so set by
 * the command before the pipeline loads anything. Only flags V8 reads when it compiles can be
 * set here; heap sizes (`--max-semi-space-size`) are fixed when the process starts and would
 * need Node's command line (docs/benchmarks.md, "Start-up: cold start and idle memory").
 *
 * `--liftoff-only`: undici's HTTP parser is WebAssembly (llhttp), which V8 compiles a second
 * time with TurboFan in the background. That compile is `agentkit run`'s start-up high-water
 * mark (VmHWM 110 → 75 MB without it), and a short task under `exec` that exits right after the
 * first send waits for it (~100 ms). The baseline (Liftoff) code parses the agent's few
 * responses per flush fast enough.
 */
export function applyAgentV8Flags(): void {
  setFlagsFromString('--liftoff-only');
}
