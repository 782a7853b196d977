import type { ServiceCheck, ServiceCheckStatus } from '@agentkit/aggregator';
import { parseGoInt } from './go-number.js';
import type { MessageContext } from './parse-event.js';

/**
 * `_sc|<name>|<status>[|d:<ts>][|h:<host>][|#<tags>][|m:<message>]`, with the Agent's rules
 * (`parse_service_checks.go`): at least two `|` and four chars; the name is non-empty; the
 * status exactly `0`–`3`; optional fields in any order, the last of a kind wins, an invalid
 * `d:` is ignored. Returns undefined for a malformed service check.
 */
export function parseServiceCheck(line: string, ctx: MessageContext): ServiceCheck | undefined {
  const firstPipe = line.indexOf('|');
  if (line.length < 4 || firstPipe === -1 || line.indexOf('|', firstPipe + 1) === -1) return undefined;
  // As the Agent does, drop four chars (`_sc|`) whatever they are.
  const nameEnd = line.indexOf('|', 4);
  if (nameEnd === -1 || nameEnd === 4) return undefined;
  let statusEnd = line.indexOf('|', nameEnd + 1);
  if (statusEnd === -1) statusEnd = line.length;
  if (statusEnd !== nameEnd + 2) return undefined;
  const code = line.charCodeAt(nameEnd + 1) - 48;
  if (code < 0 || code > 3) return undefined;

  let timestamp = 0;
  let host = '';
  let message = '';
  let tags = ctx.tags(0, 0);
  let start = statusEnd + 1;
  while (start < line.length) {
    let end = line.indexOf('|', start);
    if (end === -1) end = line.length;
    const prefix = line.charCodeAt(start);
    if (prefix === 35) tags = ctx.tags(start + 1, end);
    else if (line.charCodeAt(start + 1) === 58 && end > start + 1) {
      if (prefix === 100) timestamp = parseGoInt(line.slice(start + 2, end)) ?? timestamp;
      else if (prefix === 104) host = ctx.text(start + 2, end);
      else if (prefix === 109) message = ctx.text(start + 2, end);
    }
    start = end + 1;
  }
  return {
    name: ctx.text(4, nameEnd),
    status: code as ServiceCheckStatus,
    timestamp,
    host: host !== '' ? host : (tags.host ?? ctx.defaultHost),
    tags: tags.tags,
    message,
  };
}
