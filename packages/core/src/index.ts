export { token, tokenName } from './token.js';
export { AGENTKIT_VERSION } from './version.js';
export type { Token, TokenType } from './token.js';
export type { HeapScope } from './heap-scope.js';

export { provide } from './container/provider.js';
export type { ComponentClass, Dependency, EdgeKind, FactoryDependency, FactorySpec, HookTimeout, OrderingDependency, Provider, ProviderOptions, ValueSpec } from './container/provider.js';
export { bundle, replace, replaceWith } from './container/bundle.js';
export type { Bundle, BundlePredicate, Replacement } from './container/bundle.js';

export { createApp, DEFAULT_START_TIMEOUT_MS, DEFAULT_STOP_TIMEOUT_MS } from './app.js';
export type { App, AppOptions, AppState, RunOptions } from './app.js';
export type { AppGraph, GraphEdge, GraphNode } from './graph/render.js';
export type { BundleDecision } from './graph/plan.js';
export type { LifecycleEvent } from './lifecycle/hook-runner.js';
export { settleWithin } from './lifecycle/settle-within.js';
export type { Settlement } from './lifecycle/settle-within.js';
export { STOP_GRACE_MAX_MS, stopShare } from './lifecycle/stop-budget.js';
export type { StageOutcome, StageStop, StopOptions, StopResult, StopShare } from './lifecycle/stop-budget.js';

export { isStartable, isStoppable } from './component.js';
export type { Startable, Stoppable } from './component.js';

export { isTelemetrySource } from './telemetry/telemetry.js';
export { pendingGauges } from './telemetry/pending.js';
export type { TelemetrySnapshot, TelemetrySource } from './telemetry/telemetry.js';
export { DropCounter, DEFAULT_DROP_LOG_INTERVAL_MS } from './telemetry/drop-counter.js';

export { ALLOWED_HOSTS_KEY, HostGuard } from './http/host-guard.js';
export { isLoopbackIp } from './net/loopback.js';
export type { HostGuardOptions, HostGuardReason, HostVerdict } from './http/host-guard.js';
export { closeHttpServers } from './http/close-servers.js';
export { readBody } from './http/read-body.js';
export type { BodyResult } from './http/read-body.js';

export { RingBuffer } from './queue/ring-buffer.js';

export { monotonicNowMs, processStartEpochMs } from './time/monotonic-clock.js';
export { compressOneShot, SYNC_COMPRESS_MAX_BYTES } from './compression/one-shot-compress.js';
export type { OneShotCodec } from './compression/one-shot-compress.js';

export { CONFIG, LOGGER, SHUTDOWNER, TELEMETRY, configFromObject, silentLogger } from './built-ins.js';
export type { ConfigKeyRef, ConfigReader, Logger, Shutdowner, TelemetryReader } from './built-ins.js';

export { AgentkitError, CoreErrorCode, HookError, StopError, describeError } from './errors.js';
export type { LifecyclePhase } from './errors.js';

// Components declare dependencies with inversify's decorators; re-exported so a package
// depends on one inversify, the one the container reads metadata from.
export { inject, injectable, optional } from 'inversify';
