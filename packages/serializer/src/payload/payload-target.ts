import type { DropCounter } from '@agentkit/core';
import type { EndpointName, Payload } from '@agentkit/forwarder';
import type { Compressor } from '../compression/compressor.js';

/**
 * A wire format as the payload builder sees it: a head, the items with a separator before
 * each, a tail. The builder streams all of it into the payload's compressor.
 */
export interface PayloadFormat {
  readonly endpoint: EndpointName;
  /** Content-Type and DD-Agent-Payload; Content-Encoding is added per compressor. */
  readonly headers: Readonly<Record<string, string>>;
  /** Bytes before a payload's first item. */
  readonly head: Buffer;
  /** Bytes after a payload's last item. */
  readonly tail: Buffer;
  /**
   * What goes before an item of group `key` (JSON commas, event groups; none for protobuf, whose
   * items are then encoded straight into the builder's stage): `previousKey` is the group of the
   * item before it in the payload, undefined for the first.
   */
  separator?(previousKey: string | undefined, key: string): string;
}

export interface PayloadLimits {
  readonly maxCompressedBytes: number;
  readonly maxUncompressedBytes: number;
  /** Points per payload (v2 series); Infinity elsewhere. */
  readonly maxPoints: number;
}

/** Counters shared by every payload the serializer builds. */
export class PayloadStats {
  public payloads = 0;
  public items = 0;
  public uncompressedBytes = 0;
  public compressedBytes = 0;
  /** Times a payload's pending bytes were compressed to check the compressed limit exactly. */
  public repacks = 0;
  public readonly byEndpoint = new Map<EndpointName, number>();
}

/** What one batch is cut and compressed with; shared by every PayloadBuilder of one format. */
export interface PayloadTarget {
  readonly format: PayloadFormat;
  readonly limits: PayloadLimits;
  readonly compressor: Compressor;
  readonly drops: DropCounter;
  readonly stats: PayloadStats;
}

/**
 * Receives each finished payload of a batch, one at a time, in the order the items were
 * written; ownership of the payload (and its body) passes with the call. Must not throw.
 */
export type PayloadHandler = (payload: Payload) => void;
