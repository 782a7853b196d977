/**
 * The wrapper's JSON log lines (pino, on its stderr), in order; lines that are not a JSON object
 * (the wrapped program's own stderr, dd-trace's debug output, a partial line) left out.
 */
export function logLines(stderr: string): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  for (const text of stderr.split('\n')) {
    try {
      const line: unknown = JSON.parse(text);
      if (typeof line === 'object' && line !== null) lines.push(line as Record<string, unknown>);
    } catch {
      // not a log line of ours
    }
  }
  return lines;
}

/** The first log line whose message is `msg`; throws, showing the stderr, when there is none. */
export function logLine<T = Record<string, unknown>>(stderr: string, msg: string): T {
  const line = logLines(stderr).find((l) => l['msg'] === msg);
  if (line === undefined) throw new Error(`no "${msg}" line in:\n${stderr}`);
  return line as T;
}
