import type { LogStatus } from '../sender/log-sender.def.js';

// syslog severities 0–7, as Datadog's status remapper reads a number.
const SYSLOG: readonly LogStatus[] = ['emergency', 'alert', 'critical', 'error', 'warn', 'notice', 'info', 'debug'];
// pino's and bunyan's numeric levels.
const PINO: Readonly<Record<number, LogStatus>> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'critical' };

/** The fields a JSON log's own level may be in, first found wins. */
export const LEVEL_FIELDS: readonly string[] = ['status', 'level', 'severity', 'loglevel'];

/**
 * A JSON log's own level as a status, the way Datadog's status remapper reads one: a syslog
 * number, a pino level, or a word by its start (`err…` error, `warn…` warn, `fatal`/`crit…`
 * critical…). Undefined when it says nothing we know.
 */
export function statusOf(value: unknown): LogStatus | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? (SYSLOG[value] ?? PINO[value]) : undefined;
  if (typeof value !== 'string') return undefined;
  const word = value.trim().toLowerCase();
  if (word === '') return undefined;
  if (word.startsWith('emerg') || word === 'fatal' || word === 'panic') return word.startsWith('emerg') ? 'emergency' : 'critical';
  if (word.startsWith('crit')) return 'critical';
  if (word.startsWith('alert')) return 'alert';
  if (word.startsWith('err')) return 'error';
  if (word.startsWith('warn')) return 'warn';
  if (word.startsWith('notice')) return 'notice';
  if (word.startsWith('info')) return 'info';
  if (word.startsWith('debug')) return 'debug';
  if (word.startsWith('trace') || word.startsWith('verbose')) return 'trace';
  if (word === 'ok' || word.startsWith('success')) return 'ok';
  return undefined;
}
