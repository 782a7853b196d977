export { createTestApp, stopTestApps } from './test-app.js';
export { freeTcpPort, freeUdpPort } from './free-port.js';
export { LifecycleRecorder } from './recorder.js';
export { RecordingLogger } from './recording-logger.js';
export type { RecordedLine } from './recording-logger.js';
