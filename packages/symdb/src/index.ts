export { symdbBundle, SYMDB_UPLOADER_STOP_TIMEOUT_MS } from './uploader/symdb-uploader.module.js';
export { SYMDB_UPLOAD_DIRECTORY, SYMDB_UPLOAD_HEAP_SCOPE, SYMDB_UPLOADER } from './uploader/symdb-uploader.def.js';
export type { SymdbUploader, SymdbUploadState } from './uploader/symdb-uploader.def.js';
export { BackgroundSymdbUploader } from './uploader/background-symdb-uploader.js';
export { FakeSymdbUploader, fakeSymdbBundle } from './uploader/fake-symdb-uploader.js';

export { uploadDirectory } from './upload/upload-directory.js';
export type { UploadDirectoryOptions, UploadProgress, UploadSummary } from './upload/upload-directory.js';
export { symdbUploadSettings } from './upload/upload-settings.js';
export type { SymdbUploadSettings } from './upload/upload-settings.js';
export { resolveSymdbDestination, SYMDB_AGENT_PATH, SYMDB_EVP_ORIGIN } from './upload/destination.js';
export type { SymdbDestination } from './upload/destination.js';
export {
  HttpBatchSender,
  DEFAULT_UPLOAD_BASE_DELAY_MS,
  DEFAULT_UPLOAD_MAX_ATTEMPTS,
  DEFAULT_UPLOAD_MAX_DELAY_MS,
  DEFAULT_UPLOAD_TIMEOUT_MS,
} from './upload/http-batch-sender.js';
export type { HttpBatchSenderOptions, RetryOptions } from './upload/http-batch-sender.js';
export { eventJson, multipartFrame } from './upload/multipart.js';
export type { MultipartFrame, SymdbEvent } from './upload/multipart.js';

export { GzipBatchEncoder } from './encoder/gzip-batch-encoder.js';
export type { BatchSink, EncodedBatch, GzipBatchEncoderOptions, UploadIdentity } from './encoder/gzip-batch-encoder.js';

export { ScopeExtractor } from './extract/scope-extractor.js';
export type { ExtractorStats, FileScope, ScopeExtractorOptions } from './extract/scope-extractor.js';
export {
  ChildScopeExtractor,
  DEFAULT_PARSER_RECYCLE_FILES,
  DEFAULT_PARSER_RECYCLE_RSS_BYTES,
} from './extract/parser-process/child-scope-extractor.js';
export type { ChildScopeExtractorOptions, ParserProcessStats, SerializedFileScope } from './extract/parser-process/child-scope-extractor.js';
export { ScopeBuilder } from './extract/scope-builder.js';
export { loadParser } from './extract/parser.js';
export type { EsNode, ParseOutcome, ParserPreference, SourceParser } from './extract/parser.js';
export { walkSourceFiles, isSourceFile, SOURCE_EXTENSIONS } from './extract/file-walker.js';
export type { WalkOptions } from './extract/file-walker.js';
export { LineTable } from './extract/line-table.js';
export { gitBlobSha1 } from './extract/file-hash.js';

export { SYMDB_LANGUAGE } from './scope/scope.js';
export type { LanguageSpecifics, LineRange, Scope, ScopeSymbol, ScopeType, SymbolType } from './scope/scope.js';

export { symdbConfigKeys, symdbKeys, symdbUploadEnabled, DEFAULT_SYMDB_EXCLUDE_DIRS, DEFAULT_SYMDB_FLUSH_THRESHOLD_BYTES } from './config-keys.js';

export { SymdbEncodeError, SymdbError, SymdbErrorCode, UploadError } from './errors.js';
