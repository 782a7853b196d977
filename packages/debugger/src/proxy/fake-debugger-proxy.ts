import type { IncomingMessage, ServerResponse } from 'node:http';
import { bundle, provide, type Bundle } from '@agentkit/core';
import { DEBUGGER_PROXY, type DebuggerProxy } from './debugger-proxy.def.js';
import { DEBUGGER_PATHS } from './debugger-routes.js';

/** One request the fake received: its path with query, headers and whole body. */
export interface ReceivedDebuggerUpload {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

/**
 * Keeps every request it is handed and answers 202 `{}`: for tests of the APM receiver's
 * routing without an intake. `status` changes the answer.
 */
export class FakeDebuggerProxy implements DebuggerProxy {
  public readonly paths: readonly string[] = DEBUGGER_PATHS;
  public readonly received: ReceivedDebuggerUpload[] = [];
  public status = 202;

  public async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
    } catch {
      response.destroy();
      return;
    }
    this.received.push({ path: request.url ?? '/', headers: request.headers, body: Buffer.concat(chunks) });
    response.writeHead(this.status, { 'Content-Type': 'application/json' });
    response.end('{}');
  }
}

/** The `debugger` bundle with a fake proxy. */
export function fakeDebuggerBundle(fake: FakeDebuggerProxy = new FakeDebuggerProxy()): Bundle {
  return bundle('debugger', [provide(DEBUGGER_PROXY, { useValue: fake })]);
}
