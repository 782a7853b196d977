import type { Config } from '@agentkit/config';
import { setFlagsFromString } from 'node:v8';
import { agentKeys } from './config-keys.js';

/**
 * After each full collection V8 lets the old generation grow this much over what survived it
 * before it starts the next. Its own factor is 1.1–4, and 4 for a heap it collects quickly,
 * as an agent's is: garbage of a burst of new contexts and of each flush stays resident until
 * the heap is several times its live size. V8 reads the flag at each collection, so it works
 * set at run time (docs/benchmarks.md, "Issue 14 §3, V8's heap for an agent").
 */
const HEAP_GROWING_PERCENT = 25;

/** V8's own `--semi-space-growth-factor` (Node 20's V8 11.3), set back when a hold ends. */
const SEMI_SPACE_GROWTH_FACTOR_DEFAULT = 2;

/**
 * V8 settings for the commands that run the pipeline (`run`, `exec`): process-wide, so set by
 * the command once the configuration is loaded and before the pipeline starts anything. Only
 * flags V8 reads while running can be set here; heap sizes (`--max-semi-space-size`,
 * `--max-old-space-size`) are fixed when the process starts: the npm bin and the Node 20 single
 * executable pass none, a user can give them in `NODE_OPTIONS` (docs/benchmarks.md, same
 * section). Calling it again sets the same flags again.
 *
 * `--liftoff-only`: the agent's own HTTP client compiles no WebAssembly (node:http parses with
 * Node's native llhttp). What still may is Node's global `fetch` (its own copy of undici, whose
 * parser is llhttp in WebAssembly), which the Cloud Run metadata lookup under `exec` uses
 * (packages/serverless, metadata.ts); V8 would compile that a second time with TurboFan in the
 * background, which was `agentkit run`'s start-up high-water mark when the forwarder was on
 * undici (VmHWM 110 → 75 MB without it), and a short task that exits right after waits for it
 * (~100 ms). Kept: it costs nothing where no WebAssembly is compiled, and the code caches are
 * recorded under it (bin/cached-bundle.cjs, scripts/binary/sea-main.cjs).
 *
 * `--heap-growing-percent=25` unless `heap_tuning_enabled` is false (or there is no
 * configuration: `exec` with an invalid one runs no pipeline). Keep scripts/binary/sea-main.cjs's
 * flags for `exec` the same as the defaults here.
 */
export function applyAgentV8Flags(config: Config | undefined): void {
  setFlagsFromString('--liftoff-only');
  // 0 is V8's default (its own factor), set explicitly: the single executable's main sets 25
  // before it compiles the bundle (scripts/binary/sea-main.cjs: V8 takes a code cache only
  // under the flags it was recorded with), so an opt-out must undo it.
  const tuned = config !== undefined && config.get(agentKeys.heapTuning);
  setFlagsFromString(`--heap-growing-percent=${tuned ? HEAP_GROWING_PERCENT : 0}`);
  if (!tuned) releaseStartFootprint();
}

/**
 * How long `agentkit run`'s start-up hold ({@link holdStartFootprint}) lasts after the agent is
 * ready: the start's background work (the HTTP client made at the forwarder's start, the API key
 * check 250 ms later, the host metadata) is done well within it on a loaded host.
 */
export const START_HOLD_AFTER_READY_MS = 1000;

/** Ends the start-up hold; undefined while none is held. */
let releaseStartHold: ((reduce: boolean) => void) | undefined;

/**
 * How long after the hold's end V8 is told to favour memory (`--optimize-for-size`): its memory
 * reducer's first look (about a second after the hold's end) and the collections it makes then
 * (up to three, half a second apart; two at an idle agent) fall within it, and it is over before
 * the agent has been idle 3 s (traffic that comes later meets V8's own heap growth).
 */
export const MEMORY_REDUCER_WINDOW_MS = 2000;

/**
 * For `agentkit run`, from before its modules load to shortly after it is ready (the CLI takes
 * it before it imports the command): V8 compiles nothing with TurboFan or Sparkplug (`--no-opt`,
 * `--no-sparkplug`; `--opt`, `--sparkplug` again on release) and its young generation does not
 * grow (a {@link holdYoungGeneration} hold). The start's work is a one-off, and what it leaves
 * stays resident for the life of an idle agent: the module loader's path functions get hot
 * enough for TurboFan, whose compile touches ~1.4 MiB of Node's own code; Sparkplug's code for
 * start-up functions fills 0.5 MiB of code space; the start's short-lived objects double the new
 * space once. Datagrams that arrive during the hold are handled by V8's interpreter (slower, not
 * lost: the socket's kernel buffer holds a burst); once released, hot code is compiled and the
 * new space grows as before (docs/benchmarks.md, "Issue 14 §3, the idle agent"). Not for `exec`:
 * its program starts sending at the ready point. {@link applyAgentV8Flags} ends it at once when
 * `heap_tuning_enabled` is false. Not taken when Node was started with a flag of its own for
 * these tiers or the young generation's growth (`NODE_OPTIONS=--no-opt`, `--jitless`, …): the
 * release would override it. Taking it again while held does nothing.
 *
 * Its end after the agent is ready ({@link releaseStartFootprint} with `reduce`) also lets V8's
 * memory reducer (the collections that give an idle heap's garbage and unused pages back) run
 * then rather than 8 s after the start: what only the start needed (its garbage in the old
 * generation and the pages it filled: ~2.5 MiB) is given back before the agent's first seconds
 * of idling rather than after them. The npm bin and the single executable have the reducer
 * look about a second after the hold's end (packages/agent/bin/cached-bundle.cjs,
 * setCommandV8Flags: the look is scheduled as the bundle is compiled and starts, long before
 * this hold is taken).
 */
export function holdStartFootprint(): void {
  if (releaseStartHold !== undefined || nodeSetsHeldFlags()) return;
  setFlagsFromString('--no-opt');
  setFlagsFromString('--no-sparkplug');
  const releaseYoung = holdYoungGeneration();
  releaseStartHold = (reduce) => {
    setFlagsFromString('--opt');
    setFlagsFromString('--sparkplug');
    releaseYoung();
    if (reduce && !nodeSets(REDUCER_FLAG)) favourMemoryFor(MEMORY_REDUCER_WINDOW_MS);
  };
}

/**
 * `--optimize-for-size` for `ms`, then V8's default again. V8's memory reducer collects at its
 * look only when the allocation rate of the last ~5 s is low or V8 favours memory; right after a
 * start, the start's own allocation keeps the rate high, and the look would be put off by 8 s
 * (V8 11.3's src/heap/memory-reducer.cc). Short: while set, V8 also grows the old generation
 * less after each collection.
 */
function favourMemoryFor(ms: number): void {
  setFlagsFromString('--optimize-for-size');
  setTimeout(() => setFlagsFromString('--no-optimize-for-size'), ms).unref();
}

/** V8 flags the start-up hold sets and resets, with or without `no-`, `-` or `_` (V8 takes both). */
const HELD_FLAG = /--(?:no[-_])?(?:opt|turbofan|sparkplug|jitless|lite[-_]mode|semi[-_]space[-_]growth[-_]factor)(?![\w-])/;
/** V8's memory reducer on or off, and the flag the hold's end sets for it: Node's own, when given, are left as they are. */
const REDUCER_FLAG = /--(?:no[-_])?(?:memory[-_]reducer|optimize[-_]for[-_]size)(?![\w-])/;

/** True when Node's command line or `NODE_OPTIONS` sets one of the flags the hold would reset. */
function nodeSetsHeldFlags(): boolean {
  return nodeSets(HELD_FLAG);
}

/** True when Node's command line or `NODE_OPTIONS` has a flag `flag` matches. */
function nodeSets(flag: RegExp): boolean {
  return [...process.execArgv, process.env['NODE_OPTIONS'] ?? ''].some((arg) => flag.test(arg));
}

/**
 * Ends {@link holdStartFootprint}'s hold; idempotent, and a no-op when none is held. With
 * `reduce` (the end after the agent is ready, with `heap_tuning_enabled`), V8 favours memory for
 * {@link MEMORY_REDUCER_WINDOW_MS} so that its memory reducer's look, due then, collects.
 */
export function releaseStartFootprint(options: { reduce?: boolean } = {}): void {
  const release = releaseStartHold;
  releaseStartHold = undefined;
  release?.(options.reduce === true);
}

/** Holds taken and not yet released: the young generation grows again only once none is left. */
let youngGenerationHolds = 0;

/**
 * Keeps V8's young generation at the size it has now until the returned function is called
 * (`--semi-space-growth-factor=1`, set back to V8's 2 after the last hold). For a long stretch
 * of steady allocation whose objects do not outlive it, such as the symdb upload under `exec`:
 * V8 doubles the new space each time the bytes that survived scavenges since the last growth
 * pass its capacity, so any long run ends at Node 20's 2 × 16 MiB and stays there. Not for the
 * whole process: a small new space costs 15–35 % CPU on aggregation (docs/benchmarks.md, "Issue
 * 14 §3, V8's young generation"); here only while the hold lasts. V8 may still shrink the new
 * space meanwhile; it grows back once released. The release is idempotent.
 */
export function holdYoungGeneration(): () => void {
  if (youngGenerationHolds++ === 0) setFlagsFromString('--semi-space-growth-factor=1');
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--youngGenerationHolds === 0) setFlagsFromString(`--semi-space-growth-factor=${SEMI_SPACE_GROWTH_FACTOR_DEFAULT}`);
  };
}

/** Holds taken and not released (tests). */
export function youngGenerationHoldCount(): number {
  return youngGenerationHolds;
}
