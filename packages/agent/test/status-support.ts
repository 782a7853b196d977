// Shared by the status*.test.ts files: a strict reader of the Prometheus text format and an
// HTTP GET that never uses a pooled connection.
import { get } from 'node:http';

export interface ExpositionSample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\[\\"n])*)"(?:,|$)/;
const TYPE_LINE = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/;

/**
 * Parses the text exposition format 0.0.4, failing on anything it does not allow: every line
 * is a comment or `name{labels} value`, a family's # TYPE comes once and before its samples,
 * and a family's samples are together.
 */
export function parseExposition(text: string): ExpositionSample[] {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a line feed');
  const samples: ExpositionSample[] = [];
  const typed = new Set<string>();
  const finished = new Set<string>();
  let current = '';
  for (const line of text.slice(0, -1).split('\n')) {
    if (line.startsWith('#')) {
      const type = TYPE_LINE.exec(line);
      if (type !== null) {
        const family = type[1] ?? '';
        if (typed.has(family)) throw new Error(`second # TYPE for ${family}`);
        typed.add(family);
      }
      continue;
    }
    const match = SAMPLE_LINE.exec(line);
    if (match === null) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
    const name = match[1] ?? '';
    if (name !== current) {
      if (finished.has(name)) throw new Error(`the samples of ${name} are not together`);
      if (current !== '') finished.add(current);
      current = name;
    }
    const labels: Record<string, string> = {};
    let rest = match[2] ?? '';
    while (rest.length > 0) {
      const label = LABEL.exec(rest);
      if (label === null) throw new Error(`bad labels in ${JSON.stringify(line)}`);
      labels[label[1] ?? ''] = (label[2] ?? '').replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
      rest = rest.slice(label[0].length);
    }
    const raw = match[3] ?? '';
    const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw);
    if (raw !== 'NaN' && Number.isNaN(value)) throw new Error(`bad value in ${JSON.stringify(line)}`);
    samples.push({ name, labels, value });
  }
  return samples;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One HTTP request on its own connection; `headers` may set `Host` (fetch cannot). */
export function request(url: string, method = 'GET', headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = get(url, { method, agent: false, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** Polls `predicate` until it holds; generous by default (a loaded 2-core machine). */
export async function waitFor(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await predicate())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
