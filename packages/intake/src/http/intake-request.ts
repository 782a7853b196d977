import type { IncomingHttpHeaders } from 'node:http';
import type { DecodedPayload } from '@agentkit/serializer';
import type { LocalDebuggerUpload } from '../local-intake/local-intake.def.js';
import type { SymdbBatch } from '../symdb/symdb-batch.js';
import type { RouteName } from './intake-stats.js';

/** One request as the intake read it: its body whole, decoded once by the intake's own decoders. */
export interface IntakeRequest {
  /** 0 for the first request whose body was read, counted per intake. */
  readonly index: number;
  /** The handler it goes to (`not_found` for an unknown path). */
  readonly route: RouteName;
  readonly method: string;
  /** The path with its query string. */
  readonly path: string;
  /** As node:http gives them: lower-case names. */
  readonly headers: IncomingHttpHeaders;
  /** The raw (compressed) body; shared, do not modify. */
  readonly body: Buffer;
  /** A Datadog payload that decoded (payload routes, POST only). */
  readonly decoded: DecodedPayload | undefined;
  /** A symbol database batch that parsed (symdb routes, POST only). */
  readonly symdb: SymdbBatch | undefined;
  /** A Dynamic Instrumentation upload that parsed (debugger routes, POST only). */
  readonly debugger: LocalDebuggerUpload | undefined;
  /** Why the payload or batch did not decode. */
  readonly decodeError: string | undefined;
}

/** A request and what became of it, as `onRequest` reports it. */
export interface AnsweredRequest extends IntakeRequest {
  /** The status answered; 0 for a reset or a hang. */
  readonly status: number;
  /** It decoded and was answered 2xx: what the intake kept. */
  readonly accepted: boolean;
}
