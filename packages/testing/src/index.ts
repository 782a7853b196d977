export { TestIntake, startTestIntake } from './intake/test-intake.js';
export type { IntakeResponder, IntakeResponse, RecordedRequest, TestIntakeOptions, WaitOptions } from './intake/test-intake.js';
export { TestProxy, startTestProxy } from './proxy/test-proxy.js';
export type { ProxiedRequest, TestProxyOptions } from './proxy/test-proxy.js';
export { makeTestCertificate } from './tls/test-certificate.js';
export type { TestCertificate } from './tls/test-certificate.js';
