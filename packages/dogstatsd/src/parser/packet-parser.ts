import { KeyedSample, type MetricSample, type MetricType, type SampleOrigin } from '@agentkit/aggregator';
import { NameCache, type NameEntry } from '../enrich/name-cache.js';
import type { MetricMapper } from '../enrich/mapper.js';
import type { NameBlocklist } from '../enrich/name-blocklist.js';
import { isPlainSortedTags, TagCache, type TagEntry } from '../enrich/tag-cache.js';
import { decodeLatin1Bytes } from '../enrich/generation-cache.js';
import { parseGoFloat, parseGoInt } from './go-number.js';
import { metricTypeOf, NO_TYPE, withLineOrigin } from './metric-fields.js';
import { LineValues } from './metric-values.js';
import { parseEvent, type MessageContext } from './parse-event.js';
import { parseServiceCheck } from './parse-service-check.js';
import type { ParseErrorKind, ParseReporter } from './parse-error.js';
import type { SampleSink } from './sample-sink.js';

export interface PacketParserOptions {
  /** The host of messages without a `host:` tag (`resolveHostname(config)`). */
  readonly defaultHost: string;
  /** `dogstatsd_tags`. */
  readonly extraTags: readonly string[];
  /** `dogstatsd_no_aggregation_pipeline`: read `|T`; timestamped samples go to `timestamped()`. */
  readonly readTimestamps: boolean;
  /** `dogstatsd_origin_detection_client`: read `|c:`, `|e:`, `|card:`. */
  readonly originDetectionClient: boolean;
  /** `statsd_metric_namespace` (a `.` is appended if missing). */
  readonly namespace: string;
  readonly namespaceBlacklist: readonly string[];
  readonly mapper: MetricMapper | undefined;
  /** `statsd_metric_blocklist` / `metric_filterlist`; undefined when empty. */
  readonly blocklist?: NameBlocklist | undefined;
  /** `histogram_copy_to_distribution_prefix` when `histogram_copy_to_distribution`, else undefined. */
  readonly histogramCopyPrefix?: string | undefined;
  /** `dogstatsd_string_interner_size`. */
  readonly nameCacheSize: number;
}

/**
 * Parses and enriches DogStatsD packets into a {@link SampleSink}: the whole protocol (metrics,
 * events, service checks), with the Agent's acceptance rules. Each packet is converted to a
 * string once (latin1: one char per byte, so event lengths in bytes are char offsets), then
 * cut with `indexOf`; names and tag strings are decoded as UTF-8 and enriched once per
 * distinct raw string (cached), so the per-line work is a few slices and two map lookups.
 * Not re-entrant; one per server.
 */
export class PacketParser {
  readonly #names: NameCache;
  readonly #tags: TagCache;
  readonly #options: PacketParserOptions;
  readonly #reporter: ParseReporter;
  readonly #values = new LineValues();
  /** Lines seen (empty lines excluded). */
  public lines = 0;
  /** Samples (values) dropped by the blocklist. */
  public blockedSamples = 0;
  /** Lines whose samples carry their raw tag string, not an array (the tag cache did not keep it). */
  public keyedLines = 0;
  /** Distributions copied from histograms (`histogram_copy_to_distribution`). */
  public distributionCopies = 0;

  // The current line, for the MessageContext callbacks of events and service checks.
  #buf: Buffer = Buffer.alloc(0);
  #base = 0;
  #line = '';
  readonly #context: MessageContext;

  public constructor(options: PacketParserOptions, reporter: ParseReporter) {
    this.#options = options;
    this.#reporter = reporter;
    const extraTags = [...new Set(options.extraTags)].sort();
    this.#tags = new TagCache(extraTags);
    const namespace = options.namespace === '' || options.namespace.endsWith('.') ? options.namespace : `${options.namespace}.`;
    this.#names = new NameCache({
      namespace,
      namespaceBlacklist: options.namespaceBlacklist,
      mapper: options.mapper,
      blocklist: options.blocklist?.empty === false ? options.blocklist : undefined,
      histogramCopyPrefix: options.histogramCopyPrefix,
      extraTags,
      maxEntries: options.nameCacheSize,
    });
    this.#context = {
      defaultHost: options.defaultHost,
      text: (start, end) => this.#buf.toString('utf8', this.#base + start, this.#base + end),
      tags: (start, end) => this.#tagEntry(start, end),
    };
  }

  /**
   * Parses every message of `packet` into `out`. `packet` is only read, during the call.
   * `eolRequired`: an unterminated last message is dropped and reported. `nowSec`: the
   * timestamp of samples without `|T`. Never throws on any input.
   */
  public parse(packet: Buffer, eolRequired: boolean, nowSec: number, out: SampleSink): void {
    const str = packet.toString('latin1');
    this.#buf = packet;
    this.#pipeAt = -1;
    this.#colonAt = -1;
    const n = str.length;
    let start = 0;
    while (start < n) {
      let next = str.indexOf('\n', start);
      let end = next;
      if (next === -1) {
        if (eolRequired) {
          this.#reporter.unterminated();
          break;
        }
        end = next = n;
      }
      if (end > start && str.charCodeAt(end - 1) === 13) end -= 1;
      if (end > start) {
        this.lines += 1;
        this.#message(str, start, end, nowSec, out);
      }
      start = next + 1;
    }
  }

  #message(str: string, start: number, end: number, nowSec: number, out: SampleSink): void {
    if (str.charCodeAt(start) === 95 /* _ */) {
      if (str.startsWith('_e{', start)) {
        const event = parseEvent(this.#enter(str, start, end), this.#context);
        if (event === undefined) this.#reporter.parseError('event', this.#line);
        else out.event(event);
        return;
      }
      if (str.startsWith('_sc', start)) {
        const check = parseServiceCheck(this.#enter(str, start, end), this.#context);
        if (check === undefined) this.#reporter.parseError('service_check', this.#line);
        else out.serviceCheck(check);
        return;
      }
    }
    const error = this.#metric(str, start, end, nowSec, out);
    if (error !== undefined) this.#reporter.parseError(error, str.slice(start, end));
  }

  /** Makes [start, end) the current line for the MessageContext callbacks; returns it. */
  #enter(str: string, start: number, end: number): string {
    this.#base = start;
    this.#line = str.slice(start, end);
    return this.#line;
  }

  // Metrics are cut in the packet string itself (no per-line slice). `indexOf` may then run past
  // the end of the line; the position found is remembered, so no span of the packet is scanned
  // twice and a packet of many short lines without `|` stays linear, not quadratic.
  #pipeAt = -1;
  #colonAt = -1;

  /** The first `|` at or after `from` (or the packet's length). Calls must not go backwards. */
  #pipe(str: string, from: number): number {
    if (this.#pipeAt >= from) return this.#pipeAt;
    const at = str.indexOf('|', from);
    return (this.#pipeAt = at === -1 ? str.length : at);
  }

  #colon(str: string, from: number): number {
    if (this.#colonAt >= from) return this.#colonAt;
    const at = str.indexOf(':', from);
    return (this.#colonAt = at === -1 ? str.length : at);
  }

  #metric(str: string, lineStart: number, lineEnd: number, nowSec: number, out: SampleSink): ParseErrorKind | undefined {
    const pipe = this.#pipe(str, lineStart);
    if (pipe >= lineEnd) return 'metric_format';
    const colon = this.#colon(str, lineStart);
    if (colon <= lineStart || colon >= pipe - 1) return 'metric_name_value';
    let fieldEnd = Math.min(this.#pipe(str, pipe + 1), lineEnd);
    const type = metricTypeOf(str, pipe + 1, fieldEnd);
    if (type === NO_TYPE) return 'metric_type';

    let setValue = '';
    if (type === 'set') {
      setValue = this.#buf.toString('utf8', colon + 1, pipe);
      this.#values.setMember();
    } else {
      const valueError = this.#values.parse(str, colon + 1, pipe);
      if (valueError !== undefined) return valueError;
    }

    let sampleRate = 1;
    let timestamp = 0;
    let tagsStart = 0;
    let tagsEnd = 0;
    let localData: string | undefined;
    let externalData: string | undefined;
    let cardinality: string | undefined;
    while (fieldEnd < lineEnd) {
      const start = fieldEnd + 1;
      const end = (fieldEnd = Math.min(this.#pipe(str, start), lineEnd));
      switch (start < end ? str.charCodeAt(start) : 0) {
        case 35: // #tags
          tagsStart = start + 1;
          tagsEnd = end;
          break;
        case 64: {
          // @sample_rate
          const rate = parseGoFloat(str.slice(start + 1, end));
          if (rate === undefined || !(rate > 0 && rate <= 1)) return 'metric_sample_rate';
          sampleRate = rate;
          break;
        }
        case 84: {
          // T<unix seconds>, ignored unless the no-aggregation pipeline is on
          if (!this.#options.readTimestamps) break;
          const ts = parseGoInt(str.slice(start + 1, end));
          if (ts === undefined || ts < 1) return 'metric_timestamp';
          timestamp = ts;
          break;
        }
        case 99: // c: local data, card: cardinality
          if (!this.#options.originDetectionClient || end - start < 2) break;
          if (str.charCodeAt(start + 1) === 58) localData = this.#decoded(start + 2, end);
          else if (end - start >= 5 && str.startsWith('card:', start)) cardinality = this.#decoded(start + 5, end);
          break;
        case 101: // e: external data
          if (this.#options.originDetectionClient && end - start >= 2 && str.charCodeAt(start + 1) === 58) externalData = this.#decoded(start + 2, end);
          break;
        default: // unknown fields are ignored, as the Agent does
      }
    }

    // No closure for the miss path: it would be allocated on every line.
    const name = this.#names.get(str.slice(lineStart, colon)) ?? this.#names.create(this.#own(lineStart, colon));
    if (name.blocked) {
      // After the whole line parsed, as in the Agent: a blocked name with a bad value is still a
      // parse error. Each value is a sample dropped.
      this.blockedSamples += this.#values.count;
      return undefined;
    }
    // Whether this line's samples may carry their raw tag string as the aggregator's key (when
    // it is plain and sorted): what KeyedSample cannot carry (a set member, a timestamp, an
    // origin) and tags added to the client's (mapper, dogstatsd_tags) rule it out.
    const keyable =
      type !== 'set' &&
      timestamp === 0 &&
      localData === undefined &&
      externalData === undefined &&
      cardinality === undefined &&
      name.combined === undefined &&
      this.#tags.noExtraTags;
    let tags: TagEntry;
    if (tagsEnd <= tagsStart) tags = this.#tags.none;
    else {
      const last = name.lastTags;
      // Compared in place: no slice to allocate when the name comes with its usual tags.
      if (last !== undefined && last.raw.length === tagsEnd - tagsStart && str.startsWith(last.raw, tagsStart)) tags = last;
      else {
        const cached = this.#tags.get(str.slice(tagsStart, tagsEnd));
        if (cached !== undefined) tags = name.lastTags = cached;
        else if (keyable && isPlainSortedTags(str, tagsStart, tagsEnd)) {
          // The raw string is already the aggregator's key for these tags. When the cache would
          // not keep its entry (more distinct tag strings than it holds), the sample carries the
          // string instead: no tag array, no tag strings, no entry to build and drop per line.
          // While it samples, what it keeps of such a string is the string alone.
          const raw = this.#own(tagsStart, tagsEnd);
          if (!this.#tags.admitsNew()) return this.#emitKeyed(name, type, raw, sampleRate, nowSec, str, lineStart, lineEnd, out);
          tags = name.lastTags = this.#tags.sampling ? this.#tags.addKeyed(raw) : this.#tags.createAdmitted(raw);
        } else tags = name.lastTags = this.#tags.create(this.#own(tagsStart, tagsEnd));
      }
      if (tags.keyed) {
        if (keyable) return this.#emitKeyed(name, type, tags.raw, sampleRate, nowSec, str, lineStart, lineEnd, out);
        // A line that needs the tags split (a set, an origin, a mapped name): the entry is
        // enriched in the cache's place (lines like this one then hit the enriched entry).
        tags = name.lastTags = this.#tags.createAdmitted(tags.raw);
      }
    }
    let origin = tags.origin;
    if (localData !== undefined || externalData !== undefined || cardinality !== undefined) {
      origin = withLineOrigin(origin, localData, externalData, cardinality);
    }
    const nonFinite = this.#emit(name, type, setValue, tags, sampleRate, timestamp, origin, nowSec, out);
    for (let i = 0; i < nonFinite; i++) this.#reporter.parseError('metric_non_finite', str.slice(lineStart, lineEnd));
    return undefined;
  }

  /** Hands over one sample per value; returns how many values were dropped as non-finite. */
  #emit(
    name: NameEntry,
    type: MetricType,
    setValue: string,
    tagEntry: TagEntry,
    sampleRate: number,
    clientTimestamp: number,
    origin: SampleOrigin | undefined,
    nowSec: number,
    out: SampleSink,
  ): number {
    const tags = this.#names.tagsFor(name, tagEntry);
    const host = tagEntry.host ?? this.#options.defaultHost;
    const timestamp = clientTimestamp > 0 ? clientTimestamp : nowSec;
    const values = this.#values.values;
    const count = this.#values.count;
    // The Agent copies after enrichment, every histogram sample (`ms` is a histogram there), into
    // the aggregated batch even when it carries a timestamp (server.go parsePackets).
    const copyName = type === 'histogram' || type === 'timing' ? name.copyName : undefined;
    let nonFinite = 0;
    for (let i = 0; i < count; i++) {
      const value = values[i] as number;
      let sample: MetricSample;
      if (type === 'set') {
        sample =
          origin === undefined
            ? { name: name.name, value, setValue, type, tags, host, sampleRate, timestamp }
            : { name: name.name, value, setValue, type, tags, host, sampleRate, timestamp, origin };
      } else {
        if (value - value !== 0) {
          // NaN and ±Inf parse (Go accepts them) but cannot be aggregated: the Agent drops them too.
          nonFinite += 1;
          continue;
        }
        sample =
          origin === undefined
            ? { name: name.name, value, type, tags, host, sampleRate, timestamp }
            : { name: name.name, value, type, tags, host, sampleRate, timestamp, origin };
      }
      if (clientTimestamp > 0) out.timestamped(sample);
      else out.sample(sample);
      if (copyName !== undefined) {
        this.distributionCopies += 1;
        out.sample(
          origin === undefined
            ? { name: copyName, value, type: 'distribution', tags, host, sampleRate, timestamp }
            : { name: copyName, value, type: 'distribution', tags, host, sampleRate, timestamp, origin },
        );
      }
    }
    return nonFinite;
  }

  /**
   * {@link #emit} for a line whose tags are `tagKey` (sorted, unique, no host or origin tag, no
   * tags to add): one {@link KeyedSample} per finite value, on the default host.
   */
  #emitKeyed(name: NameEntry, type: MetricType, tagKey: string, sampleRate: number, nowSec: number, str: string, lineStart: number, lineEnd: number, out: SampleSink): undefined {
    this.keyedLines += 1;
    const host = this.#options.defaultHost;
    const values = this.#values.values;
    const count = this.#values.count;
    const copyName = type === 'histogram' || type === 'timing' ? name.copyName : undefined;
    for (let i = 0; i < count; i++) {
      const value = values[i] as number;
      if (value - value !== 0) {
        this.#reporter.parseError('metric_non_finite', str.slice(lineStart, lineEnd));
        continue;
      }
      out.sample(new KeyedSample(name.name, value, type, tagKey, host, sampleRate, nowSec));
      if (copyName !== undefined) {
        this.distributionCopies += 1;
        out.sample(new KeyedSample(copyName, value, 'distribution', tagKey, host, sampleRate, nowSec));
      }
    }
    return undefined;
  }

  /** For events and service checks: offsets are relative to the current line. */
  #tagEntry(start: number, end: number): TagEntry {
    if (end <= start) return this.#tags.none;
    const cached = this.#tags.get(this.#line.slice(start, end));
    if (cached === undefined) return this.#tags.create(this.#own(this.#base + start, this.#base + end));
    return cached.keyed ? this.#tags.createAdmitted(cached.raw) : cached;
  }

  /** A flat latin1 copy of [start, end) of the packet (never a slice of the packet string). */
  #own(start: number, end: number): string {
    return this.#buf.toString('latin1', start, end);
  }

  #decoded(start: number, end: number): string {
    return decodeLatin1Bytes(this.#own(start, end));
  }

  /** Entries in the tag and name caches, for telemetry. */
  public get cachedTagStrings(): number {
    return this.#tags.size;
  }

  /** 1 while the tag cache admits only a sample of new tag strings (more distinct ones than it holds), else 0. */
  public get tagCacheSampling(): number {
    return this.#tags.sampling ? 1 : 0;
  }
}
