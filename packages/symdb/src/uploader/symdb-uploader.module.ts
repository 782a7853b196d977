import { bundle, provide, type Bundle } from '@agentkit/core';
import { symdbUploadEnabled } from '../config-keys.js';
import { BackgroundSymdbUploader } from './background-symdb-uploader.js';
import { SYMDB_UPLOAD_DIRECTORY, SYMDB_UPLOADER } from './symdb-uploader.def.js';

/** The uploader aborts on stop; unwinding the current file and request takes little. */
export const SYMDB_UPLOADER_STOP_TIMEOUT_MS = 2000;

/**
 * The `symdb` bundle: uploads `SYMDB_UPLOAD_DIRECTORY` (default: the working directory when
 * the app is built) once after start. Enabled by `symbol_database_upload_enabled`.
 */
export const symdbBundle: Bundle = bundle(
  'symdb',
  [
    provide(SYMDB_UPLOADER, BackgroundSymdbUploader, { stopTimeoutMs: SYMDB_UPLOADER_STOP_TIMEOUT_MS }),
    provide(SYMDB_UPLOAD_DIRECTORY, { deps: [], useFactory: () => process.cwd() }),
  ],
  { enabled: symdbUploadEnabled },
);
