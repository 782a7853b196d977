export { createTestApp, stopTestApps } from './test-app.js';
export { LifecycleRecorder } from './recorder.js';
export type { RecordedCall } from './recorder.js';
