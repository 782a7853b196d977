import type { IncomingMessage } from 'node:http';

/** How reading a request body ended. */
export type BodyResult =
  | { readonly kind: 'ok'; readonly body: Buffer }
  /** Over the limit (by Content-Length, or while reading): the rest is not read. */
  | { readonly kind: 'too_large'; readonly bytes: number }
  /** The client went away or the stream failed before the end. */
  | { readonly kind: 'aborted'; readonly reason: string };

/**
 * Reads a whole request body, at most `maxBytes`. A declared Content-Length over the limit is
 * refused before a byte is read; a chunked body is cut off as soon as it passes the limit.
 * Never rejects. One reader for every local HTTP server (the local intake, the APM receiver).
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.resolve({ kind: 'too_large', bytes: declared });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let settled = false;
    const finish = (result: BodyResult): void => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        chunks.length = 0;
        finish({ kind: 'too_large', bytes });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => finish({ kind: 'ok', body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, bytes) });
    const onError = (error: Error): void => finish({ kind: 'aborted', reason: error.message });
    const onClose = (): void => finish({ kind: 'aborted', reason: 'connection closed before the end of the body' });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
