import type { IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import type { MultipartPart } from '@agentkit/intake';
import { startTestIntake, type RecordedRequest, type TestIntake } from '@agentkit/testing';

/** One symdb batch as @agentkit/intake parsed it. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly parts: readonly MultipartPart[];
  /** The gunzipped `file` part, parsed here (the intake only scans it for its summary). */
  readonly envelope: Envelope;
  /** The `event` part, parsed. */
  readonly event: Record<string, unknown>;
  readonly status: number;
}

export interface Envelope {
  readonly service: string;
  readonly version: string;
  readonly env: string;
  readonly language: string;
  readonly upload_id: string;
  readonly batch_num: number;
  readonly scopes: { scope_type: string; name: string; [key: string]: unknown }[];
  readonly final: boolean;
}

/**
 * @agentkit/intake (through the test kit) on 127.0.0.1: it parses what the symdb uploader
 * posts (multipart, gunzipped `file` part, `event` part). `statuses` answer the symdb
 * requests in order (its fault plan), then the intake answers as itself (202).
 */
export class IntakeServer {
  readonly #intake: TestIntake;

  private constructor(intake: TestIntake) {
    this.#intake = intake;
  }

  public static async start(statuses: number[] = []): Promise<IntakeServer> {
    return new IntakeServer(await startTestIntake({ sequences: { symdb: statuses } }));
  }

  /** The trace-agent route the uploader posts to. */
  public get url(): string {
    return `${this.#intake.url}/symdb/v1/input`;
  }

  /** Every request, as answered; one that did not parse as a symdb batch throws here, naming why. */
  public get requests(): ReceivedRequest[] {
    return this.#intake.requests.map(toReceived);
  }

  /** The requests answered 2xx: the batches that were delivered. */
  public get delivered(): ReceivedRequest[] {
    return this.requests.filter((r) => r.status >= 200 && r.status < 300);
  }

  public close(): Promise<void> {
    return this.#intake.close();
  }
}

function toReceived(r: RecordedRequest): ReceivedRequest {
  if (r.symdb === undefined) throw new Error(`${r.method} ${r.path} is not a symdb batch: ${r.decodeError ?? `route ${r.route}`}`);
  return {
    method: r.method,
    path: r.path,
    headers: r.headers,
    body: r.body,
    parts: r.symdb.parts,
    envelope: envelopeOf(r.symdb.parts),
    event: { ...r.symdb.event },
    status: r.status,
  };
}

function envelopeOf(parts: readonly MultipartPart[]): Envelope {
  const file = parts.find((p) => p.name === 'file');
  if (file === undefined) throw new Error('no "file" part');
  const json = file.data[0] === 0x1f && file.data[1] === 0x8b ? gunzipSync(file.data) : file.data;
  return JSON.parse(json.toString('utf8')) as Envelope;
}
