import { token, type HeapScope } from '@agentkit/core';
import type { UploadSummary } from '../upload/upload-directory.js';

/** Where the background upload stands. */
export type SymdbUploadState = 'idle' | 'running' | 'done' | 'failed' | 'aborted';

/**
 * Uploads a directory's symbol database once, in the background, after the app has started.
 * Its start returns at once (the upload never delays readiness) and its stop aborts an
 * upload still running. Callable before start (state `idle`) and after stop.
 */
export interface SymdbUploader {
  readonly state: SymdbUploadState;
  /** Resolves when the upload has ended, however it ended: the summary, or undefined if it did not complete. Never rejects. */
  whenDone(): Promise<UploadSummary | undefined>;
}

export const SYMDB_UPLOADER = token<SymdbUploader>('SymdbUploader');

/**
 * The directory the uploader walks. The bundle binds `process.cwd()`; `agentkit exec` replaces
 * it with the wrapped program's working directory (`replace(SYMDB_UPLOAD_DIRECTORY, dir)`).
 */
export const SYMDB_UPLOAD_DIRECTORY = token<string>('SymdbUploadDirectory');

/**
 * What the host process changes about its heap while the upload runs, undone when it ends. The
 * upload allocates steadily for seconds to minutes (IPC messages, the parser's bytes, the gzip
 * stream, HTTP sends); `agentkit exec` binds one that keeps V8's young generation from growing
 * meanwhile (packages/agent/src/agent-v8-flags.ts). Unbound: nothing changes.
 */
export const SYMDB_UPLOAD_HEAP_SCOPE = token<HeapScope>('SymdbUploadHeapScope');
