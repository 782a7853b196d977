import { createApp, type App, type AppOptions } from '../app.js';
import type { Bundle, Replacement } from '../container/bundle.js';

const live = new Set<App>();

declare const afterEach: ((fn: () => Promise<void>) => void) | undefined;

// Registered when this module is first imported inside a test file (jest, vitest and node's
// test runner expose a global afterEach). Importing it elsewhere registers nothing.
if (typeof afterEach === 'function') {
  afterEach(stopTestApps);
}

/**
 * `createApp` for tests: the app is stopped after each test (errors of that stop fail the
 * test's afterEach), so a failing assertion never leaks sockets or timers into the next test.
 */
export function createTestApp(items: readonly (Bundle | Replacement)[], options: AppOptions = {}): App {
  const app = createApp(items, options);
  live.add(app);
  return app;
}

/** Stops every app made by createTestApp that is still live. Called after each test. */
export async function stopTestApps(): Promise<void> {
  const apps = [...live];
  live.clear();
  const results = await Promise.allSettled(apps.map((app) => app.stop()));
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
  if (failures.length > 0) throw new AggregateError(failures, `stopping ${failures.length} test app(s) failed`);
}
