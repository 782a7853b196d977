import type { StatusDocument } from './status-server.def.js';

/** The mark after a non-zero drop counter. */
export const DROP_MARK = '!';

/**
 * True for a counter that counts something lost: `dropped.<reason>`, `parse_errors.<kind>`
 * (bad input, dropped) and the UDP listener's `kernel_drops`.
 */
export function isDropCounter(name: string): boolean {
  return name.startsWith('dropped.') || name.startsWith('parse_errors.') || name === 'kernel_drops';
}

/**
 * Checks that `value` (parsed JSON from the wire) has the shape of a {@link StatusDocument}.
 * Returns it typed, or undefined when something else answered.
 */
export function asStatusDocument(value: unknown): StatusDocument | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const doc = value as Record<string, unknown>;
  if (typeof doc['version'] !== 'string' || typeof doc['pid'] !== 'number' || typeof doc['uptimeSeconds'] !== 'number') return undefined;
  if (typeof doc['startedAt'] !== 'string') return undefined;
  const components = doc['components'];
  if (typeof components !== 'object' || components === null || Array.isArray(components)) return undefined;
  for (const snapshot of Object.values(components as Record<string, unknown>)) {
    if (typeof snapshot !== 'object' || snapshot === null) return undefined;
    // JSON has no NaN or Infinity: JSON.stringify wrote them as null.
    if (!Object.values(snapshot as Record<string, unknown>).every((v) => typeof v === 'number' || v === null)) return undefined;
  }
  return value as StatusDocument;
}

/** `3725.4` → `1h 2m 5s`; `0.2` → `0s`. */
export function formatUptime(seconds: number): string {
  let left = Math.max(0, Math.floor(seconds));
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
  ] as const) {
    const n = Math.floor(left / size);
    left -= n * size;
    if (n > 0 || parts.length > 0) parts.push(`${n}${unit}`);
  }
  parts.push(`${left}s`);
  return parts.join(' ');
}

/** A snapshot's counters as they came over JSON, where NaN and Infinity became null. */
function entriesOf(snapshot: Readonly<Record<string, number>>): [string, number | null][] {
  return Object.entries(snapshot as Readonly<Record<string, number | null>>);
}

function formatNumber(value: number | null): string {
  if (value === null) return 'null';
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
}

/**
 * The readable `agentkit status` report: a header (version, pid, uptime), then each component
 * and its counters, names and values aligned, sorted by name; a non-zero drop counter is
 * marked with {@link DROP_MARK}, and a last line says how many are.
 */
export function formatStatusReport(doc: StatusDocument, where: string): string {
  const lines = [`agentkit ${doc.version} on ${where}: pid ${doc.pid}, up ${formatUptime(doc.uptimeSeconds)} (since ${doc.startedAt})`];
  const components = Object.entries(doc.components);
  if (components.length === 0) return `${lines[0] ?? ''}\n\nno component reports telemetry\n`;
  let nameWidth = 0;
  let valueWidth = 0;
  for (const [, snapshot] of components) {
    for (const [name, value] of entriesOf(snapshot)) {
      nameWidth = Math.max(nameWidth, name.length);
      valueWidth = Math.max(valueWidth, formatNumber(value).length);
    }
  }
  let drops = 0;
  for (const [component, snapshot] of components) {
    lines.push('', component);
    const counters = entriesOf(snapshot).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (counters.length === 0) lines.push('  (no counters)');
    for (const [name, value] of counters) {
      const flagged = (value ?? 0) > 0 && isDropCounter(name);
      if (flagged) drops += 1;
      lines.push(`  ${name.padEnd(nameWidth)}  ${formatNumber(value).padStart(valueWidth)}${flagged ? `  ${DROP_MARK}` : ''}`);
    }
  }
  lines.push('', drops === 0 ? 'no drops' : `${drops} drop counter${drops === 1 ? ' is' : 's are'} non-zero (marked ${DROP_MARK}): see the agent log for their reasons`);
  return `${lines.join('\n')}\n`;
}
