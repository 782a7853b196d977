import { randomBytes } from 'node:crypto';
import { SYMDB_LANGUAGE } from '../scope/scope.js';

/** The metadata of one batch's `event` part, duplicated from the attachment on purpose (the backend books it without opening the gzip). */
export interface SymdbEvent {
  readonly service: string;
  readonly version: string;
  readonly env: string;
  readonly runtimeId: string;
  readonly uploadId: string;
  readonly batchNum: number;
  readonly final: boolean;
  readonly attachmentSize: number;
}

/** The bytes around a gzip file part: `file` first, so the `event` after it can state its size. */
export interface MultipartFrame {
  readonly contentType: string;
  readonly head: Buffer;
  readonly tail: Buffer;
}

/** Field order as the Go and .NET uploaders send it. */
export function eventJson(event: SymdbEvent): string {
  return JSON.stringify({
    ddsource: 'dd_debugger',
    service: event.service,
    version: event.version,
    env: event.env,
    language: SYMDB_LANGUAGE,
    runtimeId: event.runtimeId,
    type: 'symdb',
    uploadId: event.uploadId,
    batchNum: event.batchNum,
    final: event.final,
    attachmentSize: event.attachmentSize,
  });
}

/** A random boundary: 24 random bytes make a collision with gzip data practically impossible. */
export function multipartFrame(event: SymdbEvent): MultipartFrame {
  const boundary = `agentkit-symdb-${randomBytes(24).toString('hex')}`;
  const head =
    `--${boundary}\r\n` +
    'Content-Disposition: form-data; name="file"; filename="file.gz"\r\n' +
    'Content-Type: application/gzip\r\n\r\n';
  const tail =
    `\r\n--${boundary}\r\n` +
    'Content-Disposition: form-data; name="event"; filename="event.json"\r\n' +
    'Content-Type: application/json\r\n\r\n' +
    `${eventJson(event)}\r\n--${boundary}--\r\n`;
  return { contentType: `multipart/form-data; boundary=${boundary}`, head: Buffer.from(head), tail: Buffer.from(tail, 'utf8') };
}
