import type { Agent, Dispatcher } from 'undici';
import type { HttpOutcome, HttpRequest, HttpTransport } from './transport.def.js';

/** Bytes of an error response kept for the log line. */
export const RESPONSE_SNIPPET_BYTES = 512;

export interface UndiciTransportOptions {
  /** `forwarder_timeout`: to connect, to receive the headers, and between body chunks. */
  readonly timeoutMs: number;
}

/**
 * Imports undici (about 100 ms of module loading, perf-anchors §6) and returns a transport on
 * one keep-alive `Agent` shared by every destination. Rejects only if undici cannot be loaded.
 */
export async function loadUndiciTransport(options: UndiciTransportOptions): Promise<HttpTransport> {
  const undici = await import('undici');
  const agent = new undici.Agent({
    connect: { timeout: options.timeoutMs },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
  return new UndiciTransport(agent);
}

class UndiciTransport implements HttpTransport {
  readonly #agent: Agent;

  public constructor(agent: Agent) {
    this.#agent = agent;
  }

  public async send(request: HttpRequest): Promise<HttpOutcome> {
    try {
      const response = await this.#agent.request({
        origin: request.origin,
        path: request.path,
        method: request.method,
        headers: request.headers,
        body: request.body ?? null,
        signal: request.signal,
      });
      const status = response.statusCode;
      if (status < 400) {
        await response.body.dump();
        return { kind: 'response', status, bodySnippet: '' };
      }
      return { kind: 'response', status, bodySnippet: await readSnippet(response.body) };
    } catch (error) {
      return errorOutcome(error, request.signal.aborted);
    }
  }

  public async close(): Promise<void> {
    // destroy, not close: by now the forwarder has given up on whatever is still in flight.
    await this.#agent.destroy();
  }
}

async function readSnippet(body: Dispatcher.ResponseData['body']): Promise<string> {
  let text = '';
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      text += chunk.toString('utf8');
      if (text.length >= RESPONSE_SNIPPET_BYTES) break;
    }
  } catch {
    // The status is what matters; a body cut short is not worth a second error.
  }
  return text.slice(0, RESPONSE_SNIPPET_BYTES);
}

function errorOutcome(error: unknown, aborted: boolean): HttpOutcome {
  const err = error as { code?: unknown; message?: unknown; name?: unknown };
  const code = typeof err.code === 'string' ? err.code : typeof err.name === 'string' ? err.name : 'ERROR';
  const message = typeof err.message === 'string' ? err.message : String(error);
  return { kind: 'error', code, message, aborted };
}
