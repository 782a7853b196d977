import { IntakeError, IntakeErrorCode } from '../errors.js';

/** One part of a `multipart/form-data` body. `data` is a view into the body (no copy). */
export interface MultipartPart {
  /** The `name` of its Content-Disposition. */
  readonly name: string;
  readonly filename: string | undefined;
  readonly contentType: string | undefined;
  /** Other headers, names lower-case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly data: Buffer;
}

/** A form with more parts is not an upload of ours; a bound on the work a bad body can cause. */
export const MAX_MULTIPART_PARTS = 64;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** The `boundary` parameter of a `multipart/form-data` Content-Type, or undefined when it is not one. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const semi = contentType.indexOf(';');
  const mediaType = (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  if (mediaType !== 'multipart/form-data') return undefined;
  const boundary = parameters(contentType.slice(semi + 1)).get('boundary');
  // RFC 2046: 1 to 70 characters.
  return boundary !== undefined && boundary.length >= 1 && boundary.length <= 70 ? boundary : undefined;
}

/**
 * Splits a `multipart/form-data` body (RFC 7578 / 2046): an optional preamble, then parts that
 * each start with `--boundary` CRLF, headers, a blank line and the data up to CRLF
 * `--boundary`; the last delimiter is `--boundary--`. Throws `ERR_INTAKE_BAD_REQUEST` with
 * what is wrong for a body that does not follow this.
 */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const between = Buffer.concat([CRLF, delimiter]);
  const parts: MultipartPart[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) fail(`the body has no "--${boundary}" delimiter`);
  for (;;) {
    let cursor = at + delimiter.length;
    if (body[cursor] === 0x2d && body[cursor + 1] === 0x2d) break; // `--boundary--`: the end
    // Transport padding (spaces, tabs) may follow a delimiter before its CRLF.
    while (body[cursor] === 0x20 || body[cursor] === 0x09) cursor++;
    if (body[cursor] !== 0x0d || body[cursor + 1] !== 0x0a) fail(`no CRLF after delimiter ${parts.length + 1}`);
    cursor += 2;
    if (parts.length >= MAX_MULTIPART_PARTS) fail(`more than ${MAX_MULTIPART_PARTS} parts`);
    // A part with no headers starts with the blank line at once.
    const headerEnd = body[cursor] === 0x0d && body[cursor + 1] === 0x0a ? cursor - 2 : body.indexOf(HEADER_END, cursor);
    if (headerEnd < 0) fail(`part ${parts.length + 1} has no end of headers`);
    const dataStart = headerEnd + HEADER_END.length;
    const next = body.indexOf(between, dataStart);
    if (next < 0) fail(`part ${parts.length + 1} is not closed by a delimiter (truncated body?)`);
    parts.push(makePart(body.subarray(cursor, Math.max(cursor, headerEnd)).toString('utf8'), body.subarray(dataStart, next), parts.length + 1));
    at = next + CRLF.length;
  }
  if (parts.length === 0) fail('no parts');
  return parts;
}

function makePart(headerText: string, data: Buffer, index: number): MultipartPart {
  const headers: Record<string, string> = {};
  for (const line of headerText.split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) fail(`part ${index}: malformed header line "${line.slice(0, 80)}"`);
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const disposition = headers['content-disposition'];
  if (disposition === undefined) fail(`part ${index} has no Content-Disposition`);
  const semi = disposition.indexOf(';');
  if ((semi < 0 ? disposition : disposition.slice(0, semi)).trim().toLowerCase() !== 'form-data') fail(`part ${index} is not form-data`);
  const params = parameters(disposition.slice(semi + 1));
  const name = params.get('name');
  if (name === undefined || semi < 0) fail(`part ${index} has no name`);
  return { name, filename: params.get('filename'), contentType: headers['content-type'], headers, data };
}

/** `; a=b; c="d \"e\""` → Map { a → b, c → d "e" } (names lower-case). */
function parameters(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /(?:^|;)\s*([A-Za-z0-9_*.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/g;
  for (const m of text.matchAll(re)) {
    const key = (m[1] as string).toLowerCase();
    if (!out.has(key)) out.set(key, m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? ''));
  }
  return out;
}

function fail(why: string): never {
  throw new IntakeError(IntakeErrorCode.BadRequest, `bad multipart/form-data body: ${why}`);
}
