export { TestIntake, startTestIntake } from './intake/test-intake.js';
export type { IntakeResponder, IntakeResponse, RecordedRequest, TestIntakeOptions, WaitOptions } from './intake/test-intake.js';
