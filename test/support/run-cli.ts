import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root (test/support/../..). */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the linked `agentkit` bin (node_modules/.bin, as `npx agentkit` does) in a real child
 * process with exactly the environment given plus PATH, so DD_* variables of the machine
 * running the tests cannot leak in.
 */
export function runCli(args: readonly string[], env: Record<string, string> = {}, cwd = REPO_ROOT): Promise<CliResult> {
  const bin = fileURLToPath(new URL('../../node_modules/.bin/agentkit', import.meta.url));
  const child = spawn(process.execPath, [bin, ...args], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
