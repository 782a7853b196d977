import type { TraceVersion } from './endpoints.js';

/** What one trace payload held. */
export interface TraceSummary {
  readonly traces: number;
  readonly spans: number;
  /** Distinct `service` names of its spans (empty names left out). */
  readonly services: ReadonlySet<string>;
}

/** Why a payload was refused: the reason is counted (`dropped.<reason>`), the message answered. */
export interface TraceRefusal {
  readonly status: 400 | 415;
  readonly reason: 'unexpected_eof' | 'decode_error' | 'unsupported_media_type';
  readonly message: string;
}

export type TraceDecodeResult = { readonly ok: true; readonly summary: TraceSummary } | { readonly ok: false; readonly refusal: TraceRefusal };

type MsgpackDecode = (data: Uint8Array) => unknown;
let msgpackDecode: Promise<MsgpackDecode> | undefined;

/**
 * @msgpack/msgpack, loaded on the first trace payload rather than with the agent: most runs
 * never see one, and `agentkit exec` must not pay for it before its program starts.
 */
function loadMsgpack(): Promise<MsgpackDecode> {
  msgpackDecode ??= import('@msgpack/msgpack').then((m) => {
    // The package's `main` is CommonJS: Node gives its named exports, the CLI bundle (esbuild)
    // only `default`.
    const module = m as Partial<typeof m> & { default?: Partial<typeof m> };
    const decode = module.decode ?? module.default?.decode;
    if (decode === undefined) throw new Error('@msgpack/msgpack has no decode()');
    return (data: Uint8Array) => decode(data);
  });
  return msgpackDecode;
}

/**
 * The media type of a `Content-Type` value, lower-cased, without parameters; `''` when absent.
 */
export function mediaTypeOf(contentType: string | undefined): string {
  if (contentType === undefined) return '';
  const semicolon = contentType.indexOf(';');
  return (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

/**
 * Decodes one trace payload and counts what it holds, as the trace agent decodes it
 * (pkg/trace/api/api.go `decodeTracerPayload`): msgpack for every version; for v0.3 and v0.4
 * also JSON (`application/json`, `text/json`, or no Content-Type, as the Agent). Where the Agent
 * guesses (another media type: JSON, then msgpack), this refuses with 415, so a client that
 * mislabels its payloads learns it at once. Truncated msgpack is `unexpected_eof` (the Agent's
 * `unexpected-eof`), anything else malformed `decode_error`; both 400. Never throws.
 */
export async function decodeTraces(version: TraceVersion, body: Buffer, contentType: string | undefined): Promise<TraceDecodeResult> {
  const media = mediaTypeOf(contentType);
  const json = version !== 'v0.5' && (media === 'application/json' || media === 'text/json' || media === '');
  if (!json && media !== 'application/msgpack') {
    const accepted = version === 'v0.5' ? 'application/msgpack' : 'application/msgpack or application/json';
    return refuse(415, 'unsupported_media_type', `unsupported media type "${media}": ${version} traces are ${accepted}`);
  }
  let decoded: unknown;
  try {
    decoded = json ? JSON.parse(body.toString('utf8')) : (await loadMsgpack())(body);
  } catch (error) {
    const message = (error as Error).message;
    if (!json && message.startsWith('Insufficient data')) return refuse(400, 'unexpected_eof', 'unexpected-eof');
    return refuse(400, 'decode_error', `cannot decode ${version} traces: ${message}`);
  }
  const summary = version === 'v0.5' ? summariseV05(decoded) : summariseTraceList(decoded);
  return typeof summary === 'string' ? refuse(400, 'decode_error', `${version} traces: ${summary}`) : { ok: true, summary };
}

function refuse(status: TraceRefusal['status'], reason: TraceRefusal['reason'], message: string): TraceDecodeResult {
  return { ok: false, refusal: { status, reason, message } };
}

/** v0.3 / v0.4: `[[span, …], …]`, a span being a map with a `service` string. A string says what is wrong. */
function summariseTraceList(decoded: unknown): TraceSummary | string {
  if (!Array.isArray(decoded)) return 'expected an array of traces';
  const services = new Set<string>();
  let spans = 0;
  for (const trace of decoded) {
    if (!Array.isArray(trace)) return 'expected each trace to be an array of spans';
    for (const span of trace) {
      if (typeof span !== 'object' || span === null || Array.isArray(span)) return 'expected each span to be a map';
      const service = (span as Record<string, unknown>)['service'];
      if (typeof service === 'string' && service !== '') services.add(service);
      spans += 1;
    }
  }
  return { traces: decoded.length, spans, services };
}

/**
 * v0.5: `[strings, traces]`, each span an array of 12 fields whose strings are indexes into
 * `strings`; the service is field 0.
 */
function summariseV05(decoded: unknown): TraceSummary | string {
  if (!Array.isArray(decoded) || decoded.length !== 2) return 'expected [strings, traces]';
  const [strings, traces] = decoded as [unknown, unknown];
  if (!Array.isArray(strings) || !Array.isArray(traces)) return 'expected [strings, traces]';
  const services = new Set<string>();
  let spans = 0;
  for (const trace of traces) {
    if (!Array.isArray(trace)) return 'expected each trace to be an array of spans';
    for (const span of trace) {
      if (!Array.isArray(span) || span.length !== 12) return 'expected each span to be an array of 12 fields';
      const index: unknown = span[0];
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= strings.length) return 'a span names a string that is not in the table';
      const service: unknown = strings[index];
      if (typeof service === 'string' && service !== '') services.add(service);
      spans += 1;
    }
  }
  return { traces: traces.length, spans, services };
}
