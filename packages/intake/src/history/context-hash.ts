import type { ScannedSeries, ScannedSketch, Spans } from '@agentkit/serializer';

/**
 * A 32-bit hash (FNV-1a) of a context's identity key (`identity` in series-store.ts: metric,
 * type, host and the sorted tags, joined by NUL), computed alike from the key of a stored entry
 * and from the bytes of a scanned item that has not been decoded: the same characters in the
 * same order, so equal keys always hash alike (even where the key itself cannot tell `[]` from
 * `['']`). The stores trust only its "no": an item whose hash no kept context has is a new
 * context; an equal hash (the same context, or a collision) sends the item to the decoder and
 * the exact key. Bytes and characters agree only for ASCII (an invalid UTF-8 sequence decodes to
 * U+FFFD, so two byte strings can make one string, and JavaScript sorts by UTF-16 code unit),
 * so a scanned item with any other byte in its identity has no hash: it is decoded.
 */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SEPARATOR = 0;
const DEVICE = Buffer.from('device:');
const RESOURCE = Buffer.from('dd.internal.resource:');
const COLON = Buffer.from(':');
const HOST = Buffer.from('host');
const DEVICE_TYPE = Buffer.from('device');

/** Series types by v2 number, as the history names them (an unknown number is unspecified). */
export const V2_TYPE_NAMES = ['unspecified', 'count', 'rate', 'gauge'] as const;
/** The type a sketch's identity is stored under. */
export const SKETCH_TYPE = 'sketch';

/** The hash of an identity key as the stores make it (`identity(...)`). */
export function identityHash(key: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), FNV_PRIME);
  // Signed: an int32 is a small integer to V8 (no heap number per item scanned; `>>> 0` made half of them one).
  return h | 0;
}

/** Past these, the scratch space is given back after use (a normal item's tags are far below). */
const MAX_KEPT_SCRATCH_BYTES = 64 * 1024;
const MAX_KEPT_SCRATCH_TAGS = 1024;

/**
 * The tags of the scanned item, copied into one reused buffer (resource tags are made there),
 * so they can be sorted and hashed in the key's order without a string. Not reentrant.
 */
class TagScratch {
  #bytes = Buffer.allocUnsafe(1024);
  #used = 0;
  #spans = new Int32Array(64);
  #order = new Int32Array(32);
  #count = 0;
  /** A byte of 0x80 or more was copied or hashed. */
  nonAscii = false;

  public reset(): void {
    // One hostile item with megabytes of tags must not leave megabytes here for good.
    if (this.#bytes.length > MAX_KEPT_SCRATCH_BYTES) this.#bytes = Buffer.allocUnsafe(1024);
    if (this.#spans.length > 2 * MAX_KEPT_SCRATCH_TAGS) {
      this.#spans = new Int32Array(64);
      this.#order = new Int32Array(32);
    }
    this.#used = 0;
    this.#count = 0;
    this.nonAscii = false;
  }

  /** Starts a tag; `append` adds its bytes. */
  public begin(): void {
    if (2 * this.#count + 2 > this.#spans.length) this.#spans = grow(this.#spans);
    if (this.#count + 1 > this.#order.length) this.#order = grow(this.#order);
    this.#spans[2 * this.#count] = this.#used;
    this.#spans[2 * this.#count + 1] = this.#used;
    this.#order[this.#count] = this.#count;
    this.#count++;
  }

  public append(from: Buffer, start: number, end: number): void {
    const bytes = end - start;
    if (this.#used + bytes > this.#bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(2 * this.#bytes.length, this.#used + bytes));
      this.#bytes.copy(grown, 0, 0, this.#used);
      this.#bytes = grown;
    }
    // By hand: tags are short, and Buffer#copy makes a view of the source for each call.
    const to = this.#bytes;
    let seen = 0;
    for (let i = 0; i < bytes; i++) {
      const b = from[start + i] as number;
      seen |= b;
      to[this.#used + i] = b;
    }
    if (seen >= 0x80) this.nonAscii = true;
    this.#used += bytes;
    this.#spans[2 * this.#count - 1] = this.#used;
  }

  /** Folds the tags into `h` as the key has them: sorted (by byte, as JavaScript sorts ASCII), each after a NUL. */
  public hashSorted(h: number): number {
    const order = this.#order;
    for (let i = 1; i < this.#count; i++) {
      const tag = order[i] as number;
      let j = i - 1;
      while (j >= 0 && this.#compare(order[j] as number, tag) > 0) {
        order[j + 1] = order[j] as number;
        j--;
      }
      order[j + 1] = tag;
    }
    for (let i = 0; i < this.#count; i++) {
      const tag = order[i] as number;
      // The key is `…\0host\0tags.join('\0')`: the first tag follows the separator after the host, the next ones their own.
      if (i > 0) h = Math.imul(h ^ SEPARATOR, FNV_PRIME);
      h = fnvBytes(h, this.#bytes, this.#spans[2 * tag] as number, this.#spans[2 * tag + 1] as number);
    }
    return h;
  }

  #compare(a: number, b: number): number {
    const bytes = this.#bytes;
    const aStart = this.#spans[2 * a] as number;
    const aLength = (this.#spans[2 * a + 1] as number) - aStart;
    const bStart = this.#spans[2 * b] as number;
    const bLength = (this.#spans[2 * b + 1] as number) - bStart;
    for (let i = 0; i < Math.min(aLength, bLength); i++) {
      const d = (bytes[aStart + i] as number) - (bytes[bStart + i] as number);
      if (d !== 0) return d;
    }
    return aLength - bLength;
  }
}

function grow(a: Int32Array): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(2 * a.length);
  grown.set(a);
  return grown;
}

const scratch = new TagScratch();

function fnvBytes(h: number, bytes: Buffer, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const b = bytes[i] as number;
    if (b >= 0x80) scratch.nonAscii = true;
    h = Math.imul(h ^ b, FNV_PRIME);
  }
  return h;
}

function fnvString(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/** `metric \0 type \0 host \0 tags…`, the key's layout, from the scanned parts. */
function keyHash(bytes: Buffer, metricStart: number, metricEnd: number, type: string, hostBytes: Buffer, hostStart: number, hostEnd: number): number | undefined {
  let h = fnvBytes(FNV_OFFSET, bytes, metricStart, metricEnd);
  h = Math.imul(h ^ SEPARATOR, FNV_PRIME);
  h = fnvString(h, type);
  h = Math.imul(h ^ SEPARATOR, FNV_PRIME);
  h = fnvBytes(h, hostBytes, hostStart, hostEnd);
  h = Math.imul(h ^ SEPARATOR, FNV_PRIME);
  h = scratch.hashSorted(h);
  return scratch.nonAscii ? undefined : h | 0;
}

function copyTags(bytes: Buffer, tags: Spans): void {
  scratch.reset();
  for (let i = 0; i < tags.count; i++) {
    scratch.begin();
    scratch.append(bytes, tags.start(i), tags.end(i));
  }
}

function spanIs(bytes: Buffer, start: number, end: number, word: Buffer): boolean {
  return end - start === word.length && bytes.compare(word, 0, word.length, start, end) === 0;
}

/**
 * `identityHash` of the key the history would store `s` under (see `fromV2`: the last `host`
 * resource is the host, a `device` resource a `device:` tag, any other a `dd.internal.resource:`
 * tag), or undefined when its identity is not all ASCII.
 */
export function scannedSeriesHash(s: ScannedSeries): number | undefined {
  const { bytes, resourceTypes: types, resourceNames: names } = s;
  copyTags(bytes, s.tags);
  let hostStart = 0;
  let hostEnd = 0;
  for (let i = 0; i < types.count; i++) {
    const typeStart = types.start(i);
    const typeEnd = types.end(i);
    if (spanIs(bytes, typeStart, typeEnd, HOST)) {
      hostStart = names.start(i);
      hostEnd = names.end(i);
      continue;
    }
    scratch.begin();
    if (spanIs(bytes, typeStart, typeEnd, DEVICE_TYPE)) scratch.append(DEVICE, 0, DEVICE.length);
    else {
      scratch.append(RESOURCE, 0, RESOURCE.length);
      scratch.append(bytes, typeStart, typeEnd);
      scratch.append(COLON, 0, COLON.length);
    }
    scratch.append(bytes, names.start(i), names.end(i));
  }
  return keyHash(bytes, s.metricStart, s.metricEnd, V2_TYPE_NAMES[s.type] ?? 'unspecified', bytes, hostStart, hostEnd);
}

/** `identityHash` of the key the history would store the sketch `s` under, or undefined when not all ASCII. */
export function scannedSketchHash(s: ScannedSketch): number | undefined {
  copyTags(s.bytes, s.tags);
  return keyHash(s.bytes, s.metricStart, s.metricEnd, SKETCH_TYPE, s.bytes, s.hostStart, s.hostEnd);
}
