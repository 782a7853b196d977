export { DEFAULT_LOGS_BATCH_WAIT_SEC, DEFAULT_LOGS_COMPRESSION_LEVEL, logsConfigKeys, logsKeys } from './config-keys.js';
export { LogsError, LogsErrorCode } from './errors.js';

export { LOG_SOURCE } from './source/log-source.def.js';
export type { LogSource, ProgramPipes } from './source/log-source.def.js';
export { MIRROR_MAX_BUFFER_BYTES, MIRROR_PAUSE_BYTES, MIRROR_STALL_MS, PipeLogSource } from './source/pipe-log-source.js';
export { LOG_SOURCE_STOP_TIMEOUT_MS, logSourceBundle, logSourceProvider } from './source/log-source.module.js';
export { FakeLogSource, fakeLogSourceBundle } from './source/fake-log-source.js';

export { LOG_PROCESSOR } from './processor/log-processor.def.js';
export type { LogProcessor } from './processor/log-processor.def.js';
export { MULTILINE_WINDOW_MS, MultilineLogProcessor } from './processor/multiline-log-processor.js';
export { CUT_MARK, MAX_LINE_BYTES } from './processor/stream-lines.js';
export { statusOf } from './processor/log-status.js';
export { LOG_PROCESSOR_STOP_TIMEOUT_MS, logProcessorBundle, logProcessorProvider } from './processor/log-processor.module.js';
export { FakeLogProcessor, fakeLogProcessorBundle } from './processor/fake-log-processor.js';

export { LOG_SENDER, LOGS_CONTEXT } from './sender/log-sender.def.js';
export type { LogEntry, LogSender, LogStatus, LogStream, LogsContext } from './sender/log-sender.def.js';
export { HttpLogSender } from './sender/http-log-sender.js';
export { MAX_ENTRY_BYTES, MAX_PAYLOAD_BYTES, MAX_PAYLOAD_ENTRIES } from './sender/log-batch.js';
export { resolveLogsDestination, SERVERLESS_LOGS_HOST_PREFIX } from './sender/logs-destination.js';
export { logSenderBundle, logSenderProvider, logSenderStopTimeoutMs } from './sender/log-sender.module.js';
export { FakeLogSender, fakeLogSenderBundle } from './sender/fake-log-sender.js';

export { logsBundle } from './logs.module.js';
