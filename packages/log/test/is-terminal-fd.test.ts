import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { isTerminalFd } from '../src/is-terminal-fd.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/default-destination.mjs', import.meta.url));
const CASE_TIMEOUT_MS = 30_000;

interface Result {
  pretty: boolean;
  ttyLoaded: boolean;
  isatty: boolean;
  flagsBefore: string;
  flagsAfter: string;
}

function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env['NODE_OPTIONS'];
  delete env['NODE_EXTRA_CA_CERTS']; // costs ~150 ms per Node start on these machines
  delete env['NO_COLOR'];
  return env;
}

/** Runs `command` and resolves with its stdout once it exits. */
function run(command: string, args: string[], stderr: 'pipe' | number, env = childEnv()): Promise<string> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', stderr] });
  let stdout = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.resume();
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`${command} exited with ${code}: ${stdout}`))));
  });
}

function parseResult(stdout: string): Result {
  const line = /RESULT (\{.*\})/.exec(stdout);
  if (line === null) throw new Error(`no RESULT line in: ${stdout}`);
  return JSON.parse(line[1] as string) as Result;
}

describe('isTerminalFd', () => {
  it('should say no for a file, /dev/null and a closed descriptor, as isatty does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentkit-is-terminal-'));
    const file = openSync(join(dir, 'log'), 'w');
    const devNull = openSync('/dev/null', 'w');
    try {
      expect(isTerminalFd(file)).toBe(false);
      expect(isTerminalFd(devNull)).toBe(false);
      expect(isTerminalFd(2 ** 30)).toBe(false);
      expect(isTerminalFd(-1)).toBe(false);
      expect(isTerminalFd(1.5)).toBe(false);
    } finally {
      closeSync(file);
      closeSync(devNull);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('createLogger on the default destination (fd 2) in a real process', () => {
  it.each(['pipe', 'file', '/dev/null'] as const)(
    'should write JSON lines to a %s without loading node:tty nor changing fd 2',
    async (kind) => {
      const dir = mkdtempSync(join(tmpdir(), 'agentkit-default-destination-'));
      const path = kind === '/dev/null' ? '/dev/null' : join(dir, 'stderr');
      const fd = kind === 'pipe' ? 'pipe' : openSync(path, 'w');
      try {
        const result = parseResult(await run(process.execPath, [FIXTURE], fd));
        expect(result).toMatchObject({ pretty: false, ttyLoaded: false, isatty: false });
        // Nothing opened a stream on fd 2 (a pipe's net.Socket would set O_NONBLOCK on it).
        expect(result.flagsAfter).toBe(result.flagsBefore);
        if (kind === 'file') expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ msg: 'probe line', probe: true });
      } finally {
        if (typeof fd === 'number') closeSync(fd);
        rmSync(dir, { recursive: true, force: true });
      }
    },
    CASE_TIMEOUT_MS,
  );

  it(
    'should pretty-print in colour to a terminal (a pseudo-terminal made by script(1))',
    async () => {
      // script(1) (util-linux) runs the fixture with fd 0–2 on a new pseudo-terminal and copies
      // what it writes there to its own stdout: the RESULT line and the logged line, pretty.
      const stdout = await run('script', ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(FIXTURE)}`, '/dev/null'], 'pipe');
      const result = parseResult(stdout);
      expect(result).toMatchObject({ pretty: true, isatty: true });
      expect(stdout).toContain('probe line');
      expect(stdout).not.toContain('{"level"');
      expect(stdout).toContain('\u001b[');
    },
    CASE_TIMEOUT_MS,
  );
});
