import { createHash } from 'node:crypto';

/** Git's blob id of a file's bytes (`git hash-object`), what Datadog tracers send as `file_hash`. */
export function gitBlobSha1(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
}
