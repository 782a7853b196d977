import type { LogEntry } from './log-sender.def.js';

/** The logs intake's limits (Datadog's HTTP logs API). */
export const MAX_PAYLOAD_ENTRIES = 1000;
/** Uncompressed bytes of one payload (the Agent's `batch_max_content_size`). */
export const MAX_PAYLOAD_BYTES = 5 * 1024 * 1024;
/** Bytes of one log as sent (its JSON object). */
export const MAX_ENTRY_BYTES = 1024 * 1024;
/** What a message cut to fit ends with. */
export const TRUNCATED_MARK = '...TRUNCATED...';

/** The fields every log of this program carries. */
export interface EntryFields {
  readonly hostname: string;
  readonly service: string;
  readonly ddsource: string;
  /** Comma-joined. */
  readonly ddtags: string;
}

// The same for every log: encoded once per field set, not once per log.
const encodedFields = new WeakMap<EntryFields, string>();

function fieldsJson(fields: EntryFields): string {
  let json = encodedFields.get(fields);
  if (json === undefined) {
    json = `,"hostname":${JSON.stringify(fields.hostname)},"service":${JSON.stringify(fields.service)},"ddsource":${JSON.stringify(fields.ddsource)},"ddtags":${JSON.stringify(fields.ddtags)}}`;
    encodedFields.set(fields, json);
  }
  return json;
}

/** One log as its JSON object text, and how it went. */
export interface EncodedEntry {
  readonly json: string;
  readonly bytes: number;
  /** Its message (or attributes) had to be cut for the object to fit in MAX_ENTRY_BYTES. */
  readonly cut: boolean;
}

/**
 * The log as the intake takes it: a JSON line's attributes, then the reserved attributes
 * (ours win: they say where the log came from), at most MAX_ENTRY_BYTES. JSON escaping can
 * make a 1 MB message bigger than that; then the message is cut and marked, and a JSON line's
 * attributes are left out if they alone are too big.
 */
export function encodeEntry(entry: LogEntry, fields: EntryFields): EncodedEntry {
  const json = stringify(entry, entry.message, fields, true);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes <= MAX_ENTRY_BYTES) return { json, bytes, cut: false };
  const over = bytes - MAX_ENTRY_BYTES;
  // Escaped characters take up to 6 bytes each: cut generously so one retry fits.
  const keep = Math.max(0, entry.message.length - over - TRUNCATED_MARK.length * 6 - 1024);
  const message = entry.message.slice(0, keep) + TRUNCATED_MARK;
  let shorter = stringify(entry, message, fields, true);
  if (Buffer.byteLength(shorter, 'utf8') > MAX_ENTRY_BYTES) shorter = stringify(entry, message, fields, false);
  return { json: shorter, bytes: Buffer.byteLength(shorter, 'utf8'), cut: true };
}

function stringify(entry: LogEntry, message: string, fields: EntryFields, withAttributes: boolean): string {
  // The common case (a plain line) by hand: the profile's top entry was JSON.stringify of this object.
  if (!withAttributes || entry.attributes === undefined) {
    return `{"message":${JSON.stringify(message)},"status":"${entry.status}","timestamp":${entry.timestampMs}${fieldsJson(fields)}`;
  }
  return JSON.stringify({
    ...(withAttributes ? entry.attributes : undefined),
    message,
    status: entry.status,
    timestamp: entry.timestampMs,
    hostname: fields.hostname,
    service: fields.service,
    ddsource: fields.ddsource,
    ddtags: fields.ddtags,
  });
}

/** Entries gathered for one payload, within the intake's limits. Owned by the sender. */
export class LogBatch {
  #parts: string[] = [];
  #bytes = 2; // the brackets

  public get length(): number {
    return this.#parts.length;
  }

  /** True when `entry` fits beside what is here. */
  public fits(entry: EncodedEntry): boolean {
    return this.#parts.length < MAX_PAYLOAD_ENTRIES && this.#bytes + entry.bytes + 1 <= MAX_PAYLOAD_BYTES;
  }

  public add(entry: EncodedEntry): void {
    this.#parts.push(entry.json);
    this.#bytes += entry.bytes + (this.#parts.length > 1 ? 1 : 0);
  }

  public get full(): boolean {
    return this.#parts.length >= MAX_PAYLOAD_ENTRIES;
  }

  /**
   * The JSON array, and an empty batch from now on. Written part by part into a buffer of the
   * exact size: no joined string of the whole batch (up to 5 MB) beside the buffer.
   */
  public take(): { body: Buffer; entries: number } {
    const body = Buffer.allocUnsafe(this.#bytes);
    let at = 0;
    body[at++] = 0x5b; // [
    for (const part of this.#parts) {
      if (at > 1) body[at++] = 0x2c; // ,
      at += body.write(part, at, 'utf8');
    }
    body[at++] = 0x5d; // ]
    if (at !== body.length) throw new Error(`LogBatch: wrote ${at} bytes of ${body.length}`);
    const entries = this.#parts.length;
    this.#parts = [];
    this.#bytes = 2;
    return { body, entries };
  }
}
