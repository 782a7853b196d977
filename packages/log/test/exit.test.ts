import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const FIXTURE = fileURLToPath(new URL('./fixtures/log-and-exit.mjs', import.meta.url));
/** More than a pipe holds (64 KiB), so a writer that buffers would still hold lines at the end. */
const LINES = 2000;

interface Ended {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

function runFixture(format: 'json' | 'pretty', end: 'exit' | 'kill'): Promise<Ended> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['NODE_OPTIONS'];
  delete env['NODE_EXTRA_CA_CERTS']; // costs ~150 ms per Node start on these machines
  const child = spawn(process.execPath, [FIXTURE, format, end, String(LINES)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ stdout, stderr, code, signal })));
}

describe('createLogger in a real process writing to stderr', () => {
  it.each([
    ['json', 'exit'],
    ['json', 'kill'],
    ['pretty', 'kill'],
  ] as const)('should have written every %s line when the process ends right after logging (%s)', async (format, end) => {
    const { stderr, code, signal } = await runFixture(format, end);
    expect(end === 'kill' ? signal : code).toBe(end === 'kill' ? 'SIGKILL' : 3);
    const lines = stderr.split('\n').filter((line) => line.includes(` of ${LINES}`));
    expect(lines).toHaveLength(LINES);
    expect(lines.at(-1)).toContain(`line ${LINES - 1} of ${LINES}`);
    expect(stderr).toContain('***************************c0ffe');
    expect(stderr).not.toContain('0123456789abcdef0123456789ac0ffe');
    if (format === 'pretty') expect(stderr).not.toContain('{"');
  });

  it.each([
    ['json', false],
    ['pretty', true],
  ] as const)('should load pino-pretty only for human-readable output (%s: %s)', async (format, loaded) => {
    const { stdout } = await runFixture(format, 'exit');
    expect(stdout).toBe(`pino-pretty loaded: ${loaded}\n`);
  });
});
