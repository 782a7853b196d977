import type { Event, EventAlertType, EventPriority } from '@agentkit/aggregator';
import { parseGoInt } from './go-number.js';
import type { TagEntry } from '../enrich/tag-cache.js';

/** What event and service-check parsing need from the parser: owned text and tag entries. */
export interface MessageContext {
  /** The bytes [start, end) of the line, decoded as UTF-8 into a fresh string. */
  text(start: number, end: number): string;
  /** The tag entry for the raw tags at [start, end) of the line. */
  tags(start: number, end: number): TagEntry;
  readonly defaultHost: string;
}

function cleanText(text: string): string {
  return text.includes('\\n') ? text.replaceAll('\\n', '\n') : text;
}

function priorityOf(raw: string): EventPriority | undefined {
  return raw === 'normal' || raw === 'low' ? raw : undefined;
}

function alertTypeOf(raw: string): EventAlertType | undefined {
  return raw === 'error' || raw === 'warning' || raw === 'info' || raw === 'success' ? raw : undefined;
}

/**
 * `_e{<title bytes>,<text bytes>}:<title>|<text>[|d:…][|h:…][|k:…][|p:…][|s:…][|t:…][|#…]`,
 * with the Agent's rules (`parse_events.go`): lengths are byte counts, the header is the text
 * before the first `:`, invalid optional fields are ignored, `\n` written as two characters
 * becomes a newline. `line` is latin1 (one char per byte), so char offsets are byte offsets.
 * Returns undefined for a malformed event.
 */
export function parseEvent(line: string, ctx: MessageContext): Event | undefined {
  const colon = line.indexOf(':');
  // The Agent takes the lengths between `_e{` and the header's last char, unchecked.
  if (colon < 7) return undefined;
  const lengths = line.slice(3, colon - 1);
  const comma = lengths.indexOf(',');
  if (comma === -1) return undefined;
  const titleLength = parseGoInt(lengths.slice(0, comma));
  if (titleLength === undefined || titleLength <= 0) return undefined;
  const textLength = parseGoInt(lengths.slice(comma + 1));
  if (textLength === undefined || textLength < 0) return undefined;
  const titleStart = colon + 1;
  const textStart = titleStart + titleLength + 1;
  const contentEnd = textStart + textLength;
  if (line.length < contentEnd) return undefined;

  let timestamp = 0;
  let host = '';
  let aggregationKey: string | undefined;
  let sourceTypeName: string | undefined;
  let priority: EventPriority = 'normal';
  let alertType: EventAlertType = 'info';
  let tags = ctx.tags(0, 0);
  // The first field runs from the end of the text to the first `|` (normally empty).
  let start = contentEnd;
  while (start < line.length) {
    let end = line.indexOf('|', start);
    if (end === -1) end = line.length;
    const prefix = line.charCodeAt(start);
    const hasColon = line.charCodeAt(start + 1) === 58;
    if (prefix === 35) tags = ctx.tags(start + 1, end);
    else if (hasColon && end > start) {
      switch (prefix) {
        case 100: // d:
          timestamp = parseGoInt(line.slice(start + 2, end)) ?? timestamp;
          break;
        case 104: // h:
          host = ctx.text(start + 2, end);
          break;
        case 107: // k:
          aggregationKey = ctx.text(start + 2, end);
          break;
        case 112: // p:
          priority = priorityOf(line.slice(start + 2, end)) ?? priority;
          break;
        case 115: // s:
          sourceTypeName = ctx.text(start + 2, end);
          break;
        case 116: // t:
          alertType = alertTypeOf(line.slice(start + 2, end)) ?? alertType;
          break;
        default: // unknown fields (and origin fields, which events do not carry) are ignored
      }
    }
    start = end + 1;
  }
  return {
    title: cleanText(ctx.text(titleStart, titleStart + titleLength)),
    text: cleanText(ctx.text(textStart, contentEnd)),
    timestamp,
    host: host !== '' ? host : (tags.host ?? ctx.defaultHost),
    tags: tags.tags,
    priority,
    alertType,
    ...(aggregationKey === undefined ? {} : { aggregationKey }),
    ...(sourceTypeName === undefined ? {} : { sourceTypeName }),
  };
}
