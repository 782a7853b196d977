export { LOCAL_INTAKE, LOCAL_INTAKE_API_KEY, LOCAL_INTAKE_OPTIONS } from './local-intake/local-intake.def.js';
export type {
  LocalDebuggerUpload,
  LocalEvent,
  LocalHost,
  LocalIntake,
  IntakeTlsOptions,
  LocalIntakeOptions,
  LocalIntakeStats,
  LocalLog,
  LocalSeries,
  LocalSeriesType,
  LocalServiceCheck,
  LocalSketch,
  LocalSketchPoint,
  LocalSymdbUpload,
  LocalUploadHeaders,
  ServiceCheckStatusName,
} from './local-intake/local-intake.def.js';
export { HttpLocalIntake, DEFAULT_CLOSE_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES } from './local-intake/http-local-intake.js';
export { localIntakeBundle, LOCAL_INTAKE_STOP_TIMEOUT_MS } from './local-intake/local-intake.module.js';
export { startLocalIntake } from './local-intake/start-local-intake.js';
export type { StartLocalIntakeOptions } from './local-intake/start-local-intake.js';
export { FakeLocalIntake, fakeLocalIntakeBundle } from './local-intake/fake-local-intake.js';
export type { FakeLocalIntakeData } from './local-intake/fake-local-intake.js';

export { intakeConfigKeys, intakeKeys, DEFAULT_MAX_CONTEXTS, DEFAULT_MAX_EVENTS, DEFAULT_MAX_POINTS } from './config-keys.js';
export { IntakeError, IntakeErrorCode } from './errors.js';

export { sketchQuantile } from './sketch/sketch-quantile.js';
export type { SketchBins } from './sketch/sketch-quantile.js';
export { parseMultipart, multipartBoundary } from './symdb/multipart-parser.js';
export type { MultipartPart } from './symdb/multipart-parser.js';
export { SYMDB_PATHS, VALIDATE_PATH } from './http/intake-router.js';
export type { RouteName } from './http/intake-stats.js';
export type { AnsweredRequest, IntakeRequest } from './http/intake-request.js';
export { FaultPlan } from './faults/fault-plan.js';
export type { FaultPlanInit, FaultResponder, FaultResponse, FaultStep, FaultTarget } from './faults/fault-plan.js';
export type { SymdbBatch } from './symdb/symdb-batch.js';
export { DEBUGGER_PATHS as INTAKE_DEBUGGER_PATHS } from './debugger/debugger-upload.js';
export { DEBUGGER_UPLOADS_KEPT, LOG_MESSAGE_KEPT_CHARS, LOGS_KEPT, SYMDB_UPLOADS_KEPT } from './history/intake-history.js';
